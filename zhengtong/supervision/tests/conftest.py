from __future__ import annotations

from datetime import date

import pytest

from zhengtong.core.timelimits.actions import open_case
from zhengtong.core.timelimits.registry import register_case_type
from zhengtong.supervision.registry import register_rated_case_type
from zhengtong.testing import personas as P

register_case_type("test.sup", "监察测试", default_limit_days=5, yellow_days=2)
register_case_type("test.rated", "评价测试", default_limit_days=5, yellow_days=2)
register_case_type("test.other", "其他测试", default_limit_days=5, yellow_days=2)
register_rated_case_type("test.rated")


def make_case(city, dept: str = "market", *, started: str = "2025-03-03", limit: int = 5,
              statutory: int | None = None, handler=None, party=None, case_type: str = "test.sup",
              subject: tuple[str, str] = ("ITEM-1", "食品经营许可"), title: str = "案件", region=None):
    start = date.fromisoformat(started)
    return open_case(case_type=case_type, object_type="test", object_id=title, title=title,
                     department=city.dept(dept), started_on=start, limit_days=limit, statutory_days=statutory,
                     handler=handler, party=party, subject_code=subject[0], subject_name=subject[1], today=start,
                     region=region)


@pytest.fixture
def sub_head(city):
    return P.staff("head.sub", "刘科长", city.dept("market_sub"), roles=["dept_head"])


@pytest.fixture
def sub_handler(city):
    return P.staff("handler.sub", "孙办事", city.dept("market_sub"), roles=["approver"])


@pytest.fixture
def other_citizen(city):
    return P.citizen("110101199003071233", "王强", "13800000009")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The dashboard caches its figures; tests must not see another test's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
