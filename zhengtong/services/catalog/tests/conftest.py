from __future__ import annotations

import copy

import pytest

from zhengtong.services.catalog import actions
from zhengtong.services.catalog.models import LifeEvent
from zhengtong.testing import personas as P

CONTENT = {
    "name": "食品经营许可", "kind": "licensing", "audience": "both",
    "legal_basis": "《中华人民共和国食品安全法》第三十五条", "conditions": "有与经营食品相适应的场所",
    "process_description": "申请—受理—审查—决定—发证", "statutory_days": 20, "promised_days": 10,
    "acceptance_days": 5, "place": "示范市政务服务中心二楼", "online_depth": 4, "visits_needed": 0,
    "consultation": "0791-12345678", "complaint": "12345", "process_key": "simple",
    "fees": [], "special_steps": [{"name": "现场核查", "max_days": 10, "basis": "食品经营许可管理办法"}],
    "faq": [{"q": "需要到现场吗？", "a": "全程网办，无需到现场。"}],
    "form_schema": {"type": "object", "required": ["shop_name"],
                    "properties": {"shop_name": {"type": "string", "title": "店铺名称", "maxLength": 50}}},
}
MATERIALS = [
    {"name": "食品经营许可申请书", "form": "electronic", "count": 1, "required": True, "trust_level": "D"},
    {"name": "营业执照", "form": "copy", "count": 1, "required": True, "trust_level": "B",
     "shared_source": "法人库:营业执照"},
]


@pytest.fixture
def content():
    return copy.deepcopy(CONTENT)


@pytest.fixture
def materials():
    return copy.deepcopy(MATERIALS)


@pytest.fixture
def life_event(db):
    return LifeEvent.objects.create(code="kbqy", name="开办企业", audience="enterprise")


@pytest.fixture
def item(city, dept_head, content, materials, life_event):
    return actions.do_create_item(actor=dept_head, code="SCJG-001", department=city.dept("market"),
                                  content=content, materials=materials, life_events=["kbqy"])


@pytest.fixture
def published(item, dept_head):
    actions.do_publish(item.versions.get(), actor=dept_head)
    item.refresh_from_db()
    return item


@pytest.fixture
def catalog_admin(city):
    """The service centre's catalog administrator, granted city-wide (主题 needs that)."""
    return P.staff("catalog.liu", "刘洋", city.dept("approval"), roles=["catalog_admin"], scope="city")


@pytest.fixture
def county_admin(city):
    """A county approval bureau's catalog administrator: bundles in the county only, no 主题."""
    return P.staff("catalog.hu", "胡静", city.dept("county_approval"), roles=["catalog_admin"], scope="subtree")


SIGN_SCHEMA = {"type": "object", "required": ["shop_name", "sign_text"],
               "properties": {"shop_name": {"type": "string", "title": "店铺名称", "maxLength": 50},
                              "sign_text": {"type": "string", "title": "招牌文字", "maxLength": 30}}}


@pytest.fixture
def second(city, catalog_admin, content, life_event):
    """A second published item (another department, statutory limit 15 days)."""
    data = {**content, "name": "户外招牌设置许可", "statutory_days": 15, "promised_days": 3, "special_steps": [],
            "form_schema": copy.deepcopy(SIGN_SCHEMA)}
    item = actions.do_create_item(actor=catalog_admin, code="CGJ-001", department=city.dept("approval"),
                                  content=data, materials=[{"name": "招牌设计效果图", "trust_level": "D"}])
    actions.do_publish(item.versions.get(), actor=catalog_admin)
    item.refresh_from_db()
    return item
