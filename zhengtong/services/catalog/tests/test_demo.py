from __future__ import annotations

import pytest

from zhengtong.demo.loader import load_demo
from zhengtong.services.catalog import actions, jsonform
from zhengtong.services.catalog.demo import BUNDLE_CODE, ITEMS, load_catalog
from zhengtong.services.catalog.models import Bundle, ItemVersion, ServiceItem
from zhengtong.services.catalog.registry import PROCESS_KEYS


@pytest.fixture
def demo_city(db):
    load_demo(scale=0.05)


def test_the_demo_city_loads_the_catalog_and_a_second_load_adds_nothing(demo_city):
    assert len(ITEMS) >= 50
    again = load_catalog()
    assert again["items"] == 0, again
    assert ServiceItem.objects.filter(current__status="published").count() == len(ITEMS)
    for version in ItemVersion.objects.all():
        assert jsonform.check_schema(version.form_schema) == [], version.name
        assert 3 <= len(version.form_schema["properties"]) <= 10, version.name
        assert version.process_key in PROCESS_KEYS
        assert version.promised_days <= version.statutory_days
        assert version.materials.exists()
    keys = set(ItemVersion.objects.values_list("process_key", flat=True))
    assert keys == {"simple", "countersign", "parallel"}
    assert ItemVersion.objects.exclude(fees=[]).exists()
    assert ServiceItem.objects.get(code="ZJJ-001").current.process_key == "parallel"
    bundle = Bundle.objects.get(code=BUNDLE_CODE)
    assert sorted(bundle.items.values_list("code", flat=True)) == ["CGJ-001", "SCJG-001", "SCJG-002"]
    assert bundle.lead_department.code == "SF-ZWFW" and bundle.published
    assert jsonform.check_schema(bundle.form_schema) == []
    assert {"company_name", "food_category", "sign_text"} <= set(bundle.form_schema["properties"])
    # the demo bundle meets the rules the bundle console enforces on publication
    assert actions.publish_problems(list(bundle.items.select_related("current")), bundle.form_schema,
                                    bundle.promised_days) == {}
    # deterministic and idempotent
    assert load_catalog()["items"] == 0
    assert ServiceItem.objects.count() == len(ITEMS)


def test_demo_item_guides_render(demo_city, client):
    load_catalog()
    assert client.get("/services/").status_code == 200
    for code in ("SCJG-002", "ZJJ-001", "MZJ-001"):
        assert client.get(f"/services/items/{code}/").status_code == 200
    page = client.get(f"/services/bundles/{BUNDLE_CODE}/").content.decode()
    assert "一次申报" in page and "/apply/bundle/open-restaurant/" in page
    assert page.count("营业执照") >= 1
