from __future__ import annotations

import copy

import pytest

from zhengtong.services.catalog import actions
from zhengtong.services.catalog.models import LifeEvent

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
