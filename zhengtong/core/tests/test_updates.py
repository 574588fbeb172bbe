"""``core.db.updates.save_fields`` writes what ``save(update_fields=...)`` writes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import DatabaseError, connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from zhengtong.core.db.updates import save_fields
from zhengtong.core.org.models import Department
from zhengtong.core.timelimits.actions import open_case
from zhengtong.core.timelimits.models import TimedCase
from zhengtong.core.timelimits.registry import register_case_type

register_case_type("test.updates", "测试按字段保存", default_limit_days=5)


def _case(city) -> TimedCase:
    return open_case(case_type="test.updates", object_type="test.thing", object_id="1", title="事项",
                     department=city.dept("market"), started_on=date(2025, 3, 3), today=date(2025, 3, 3))


def _row(case: TimedCase) -> list:
    fresh = TimedCase.objects.get(pk=case.pk)
    return [getattr(fresh, f.attname) for f in TimedCase._meta.concrete_fields]


def test_it_writes_the_named_columns_only_as_save_does(db, city):
    ours, django = _case(city), _case(city)
    for case in (ours, django):
        TimedCase.objects.filter(pk=case.pk).update(title="库里的标题")  # not named: must survive
        case.title, case.due_date, case.handler = "内存里的标题", date(2025, 4, 1), None
        case.statutory_due_date, case.department = date(2025, 5, 20), city.dept("approval")
    names = ["due_date", "statutory_due_date", "department", "handler", "updated_at"]
    with CaptureQueriesContext(connection) as queries:
        save_fields(ours, names)
    django.save(update_fields=names)
    assert len(queries.captured_queries) == 1
    mine, theirs = _row(ours), _row(django)
    fields = [f.attname for f in TimedCase._meta.concrete_fields]
    for name, a, b in zip(fields, mine, theirs, strict=True):
        if name in ("id", "object_id", "updated_at", "created_at"):
            continue
        assert a == b, name
    assert mine[fields.index("title")] == "库里的标题"


def test_an_auto_now_field_named_takes_the_time(db, city):
    case = _case(city)
    before = TimedCase.objects.get(pk=case.pk).updated_at
    case.updated_at = before - timedelta(days=3)
    save_fields(case, ["updated_at"])
    assert TimedCase.objects.get(pk=case.pk).updated_at >= before
    assert case.updated_at >= before


def test_a_row_that_is_gone_raises_as_save_does(db, city):
    case = _case(city)
    TimedCase.objects.filter(pk=case.pk).delete()
    with pytest.raises(DatabaseError):
        save_fields(case, ["due_date"])


def test_expressions_and_models_with_their_own_save_go_through_save(db, city):
    case = _case(city)
    case.paused_days = F("paused_days") + 2
    save_fields(case, ["paused_days"])
    assert TimedCase.objects.get(pk=case.pk).paused_days == 2
    market = city.dept("market")
    market.name = "改名后的市场监管局"
    save_fields(market, ["name"])  # Department.save keeps its path: the model's own save runs
    assert Department.objects.get(pk=market.pk).name == "改名后的市场监管局"


def test_keys_and_unknown_fields_are_refused(db, city):
    case = _case(city)
    with pytest.raises(ValueError):
        save_fields(case, ["id"])
    with pytest.raises(Exception):  # noqa: B017 — Django's FieldDoesNotExist
        save_fields(case, ["no_such_field"])


def test_update_if_changes_the_row_only_while_the_condition_holds(db, city, applicant):
    from zhengtong.core.db.updates import update_if

    case = _case(city)
    values = {"status": "red", "handler": applicant, "title": "第一次"}
    with CaptureQueriesContext(connection) as queries:
        assert update_if(TimedCase, case.pk, where={"status": ("normal", "yellow")}, values=values) == 1
    assert len(queries.captured_queries) == 1
    assert update_if(TimedCase, case.pk, where={"status": ("normal", "yellow")}, values={**values, "title": "x"}) == 0
    fresh = TimedCase.objects.get(pk=case.pk)
    assert (fresh.status, fresh.handler_id, fresh.title) == ("red", applicant.pk, "第一次")
    assert update_if(TimedCase, case.pk, where={"status": "red"}, values={"title": "第二次"}) == 1
    assert update_if(TimedCase, case.pk + 1000, where={"status": "red"}, values={"title": "无"}) == 0
    assert TimedCase.objects.get(pk=case.pk).title == "第二次"
    with pytest.raises(TypeError):
        update_if(TimedCase, case.pk, where={"status": "red"}, values={"paused_days": F("paused_days") + 1})
    with pytest.raises(ValueError):
        update_if(TimedCase, case.pk, where={}, values={"id": 5})
