from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied

from zhengtong.core.audit.models import AuditEntry
from zhengtong.services.catalog import actions, jsonform
from zhengtong.services.catalog.actions import CatalogConflict, CatalogError
from zhengtong.services.catalog.models import Bundle
from zhengtong.testing.personas import login_staff

BASE = "/console/catalog/bundles/"


def _data(**over):
    data = {"name": "开办餐饮店", "description": "一次申报食品经营许可和户外招牌设置许可",
            "items": ["SCJG-001", "CGJ-001"], "life_event": "kbqy", "lead_department": "SF-XZSP",
            "form_schema": {}, "promised_days": 10}
    data.update(over)
    return data


@pytest.fixture
def bundle(published, second, catalog_admin):
    return actions.do_create_bundle(actor=catalog_admin, code="open-restaurant", data=_data())


def _audits(prefix: str = "catalog.bundle") -> list[str]:
    return list(AuditEntry.objects.filter(action__startswith=prefix).order_by("seq").values_list("action", flat=True))


# ---------------------------------------------------------------- actions

def test_create_publish_unpublish(bundle, catalog_admin):
    assert not bundle.published and bundle.life_event.code == "kbqy"
    assert sorted(bundle.items.values_list("code", flat=True)) == ["CGJ-001", "SCJG-001"]
    created = AuditEntry.objects.get(action="catalog.bundle.create")
    assert created.after["items"] == ["CGJ-001", "SCJG-001"] and created.after["published"] is False
    actions.do_publish_bundle(bundle, actor=catalog_admin)
    bundle.refresh_from_db()
    assert bundle.published
    with pytest.raises(CatalogConflict, match="已发布"):
        actions.do_publish_bundle(bundle, actor=catalog_admin)
    actions.do_unpublish_bundle(bundle, actor=catalog_admin)
    bundle.refresh_from_db()
    assert not bundle.published
    with pytest.raises(CatalogConflict, match="未发布"):
        actions.do_unpublish_bundle(bundle, actor=catalog_admin)
    assert _audits() == ["catalog.bundle.create", "catalog.bundle.publish", "catalog.bundle.unpublish"]


@pytest.mark.parametrize("code, change, field, message", [
    ("坏 编码", {}, "code", "编码应为"),
    ("SCJG-001", {"name": ""}, "name", "请填写名称"),
    ("b1", {"items": ["SCJG-001", "NOPE"]}, "items", "事项“NOPE”不存在"),
    ("b1", {"items": ["SCJG-001", "SCJG-DRAFT"]}, "items", "没有已发布的版本"),
    ("b1", {"life_event": "nope"}, "life_event", "主题“nope”不存在"),
    ("b1", {"lead_department": "NOPE"}, "lead_department", "不存在或已停用"),
    ("b1", {"form_schema": {"type": "object", "properties": {"a": {"type": "wrong"}}}}, "form_schema",
     "JSON Schema"),
    ("b1", {"form_schema": {"type": "object", "required": ["x"], "properties": {}}}, "form_schema", "未在 properties"),
    ("b1", {"form_schema": [1, 2]}, "form_schema", "JSON 对象"),
    ("b1", {"promised_days": 0}, "promised_days", "1–3650"),
    ("b1", {"promised_days": "十"}, "promised_days", "1–3650"),
    ("b1", {"promised_days": ""}, "promised_days", "请填写"),
])
def test_bad_bundle_input_writes_nothing(published, second, draft_item, catalog_admin, code, change, field,
                                         message):
    with pytest.raises(CatalogError) as exc:
        actions.do_create_bundle(actor=catalog_admin, code=code, data=_data(**change))
    assert message in exc.value.errors[field]
    assert not Bundle.objects.exists() and _audits() == []


def test_duplicate_code_is_refused(bundle, catalog_admin):
    with pytest.raises(CatalogError, match="已存在"):
        actions.do_create_bundle(actor=catalog_admin, code="open-restaurant", data=_data())
    assert Bundle.objects.count() == 1


def test_bundles_are_scoped_by_lead_department(published, second, bundle, dept_head, county_admin, clerk):
    for actor in (dept_head, clerk):  # no catalog.bundle.manage at all
        with pytest.raises(PermissionDenied, match="一件事"):
            actions.do_create_bundle(actor=actor, code="b2", data=_data())
    # the county administrator may lead bundles in the county, not in the city
    with pytest.raises(PermissionDenied):
        actions.do_create_bundle(actor=county_admin, code="b2", data=_data())
    with pytest.raises(PermissionDenied):
        actions.do_publish_bundle(bundle, actor=county_admin)
    with pytest.raises(PermissionDenied):
        actions.do_update_bundle(bundle, actor=county_admin, data=_data(lead_department="DH-XZSP"))
    county = actions.do_create_bundle(actor=county_admin, code="b2", data=_data(lead_department="DH-XZSP"))
    assert county.lead_department.code == "DH-XZSP"
    assert Bundle.objects.count() == 2


def test_publication_checks(published, second, catalog_admin):
    one = actions.do_create_bundle(actor=catalog_admin, code="one", data=_data(items=["SCJG-001"]))
    with pytest.raises(CatalogConflict) as exc:
        actions.do_publish_bundle(one, actor=catalog_admin)
    assert "至少应包含两个事项" in exc.value.errors["items"]
    # the longest statutory limit among SCJG-001 (20) and CGJ-001 (15) is 20
    slow = actions.do_create_bundle(actor=catalog_admin, code="slow", data=_data(promised_days=21))
    with pytest.raises(CatalogConflict) as exc:
        actions.do_publish_bundle(slow, actor=catalog_admin)
    assert exc.value.errors["promised_days"] == "承诺办结时限（21 个工作日）不能超过所含事项中最长的法定办结时限（20 个工作日）"
    assert not Bundle.objects.filter(published=True).exists()
    assert _audits("catalog.bundle.publish") == []
    edge = actions.do_create_bundle(actor=catalog_admin, code="edge", data=_data(promised_days=20))
    assert actions.do_publish_bundle(edge, actor=catalog_admin).published


@pytest.mark.parametrize("schema, message", [
    ({"type": "object", "required": ["shop_name"],
      "properties": {"shop_name": {"type": "string", "title": "店铺名称"}}},
     "合并申请表缺少事项“户外招牌设置许可”的必填字段“招牌文字”"),
    ({"type": "object", "required": ["shop_name"],
      "properties": {"shop_name": {"type": "string"}, "sign_text": {"type": "string"}}},
     "合并申请表应将“招牌文字”设为必填（事项“户外招牌设置许可”要求填写）"),
    ({"type": "object", "required": ["shop_name", "sign_text"],
      "properties": {"shop_name": {"type": "integer"}, "sign_text": {"type": "string"}}},
     "合并申请表中“店铺名称”的类型与事项“户外招牌设置许可”不一致"),
])
def test_a_combined_form_must_collect_what_every_item_requires(published, second, catalog_admin, schema, message):
    bundle = actions.do_create_bundle(actor=catalog_admin, code="b", data=_data(form_schema=schema))
    with pytest.raises(CatalogConflict) as exc:
        actions.do_publish_bundle(bundle, actor=catalog_admin)
    assert exc.value.errors["form_schema"] == message
    bundle.refresh_from_db()
    assert not bundle.published


def test_a_merged_form_passes_and_feeds_every_member(published, second, catalog_admin):
    schemas = [published.current.form_schema, second.current.form_schema]
    merged = jsonform.merge(schemas, title="开办餐饮店")
    bundle = actions.do_create_bundle(actor=catalog_admin, code="b", data=_data(form_schema=merged))
    actions.do_publish_bundle(bundle, actor=catalog_admin)
    # what the application side does: validate the combined form, then give each member its fields
    data = {"shop_name": "李记小吃", "sign_text": "李记"}
    assert jsonform.validate(bundle.form_schema, data) == {}
    for schema in schemas:
        own = {k: v for k, v in data.items() if k in schema["properties"]}
        assert jsonform.validate(schema, own) == {}
    assert "sign_text" in jsonform.validate(bundle.form_schema, {"shop_name": "李记小吃"})


def test_a_published_bundle_stays_publishable_when_edited(bundle, catalog_admin):
    actions.do_publish_bundle(bundle, actor=catalog_admin)
    with pytest.raises(CatalogError, match="至少应包含两个事项"):
        actions.do_update_bundle(bundle, actor=catalog_admin, data=_data(items=["SCJG-001"]))
    with pytest.raises(CatalogError, match="不能超过"):
        actions.do_update_bundle(bundle, actor=catalog_admin, data=_data(promised_days=30))
    bundle.refresh_from_db()
    assert bundle.items.count() == 2 and bundle.promised_days == 10
    actions.do_update_bundle(bundle, actor=catalog_admin, data=_data(name="开办小餐馆", life_event=""))
    bundle.refresh_from_db()
    assert bundle.name == "开办小餐馆" and bundle.life_event is None and bundle.published
    entry = AuditEntry.objects.get(action="catalog.bundle.update")
    assert entry.before["name"] == "开办餐饮店" and entry.after["name"] == "开办小餐馆"
    assert entry.before["life_event"] == "kbqy" and entry.after["life_event"] is None


@pytest.fixture
def draft_item(city, dept_head, content):
    return actions.do_create_item(actor=dept_head, code="SCJG-DRAFT", department=city.dept("market"),
                                  content=content)


# ---------------------------------------------------------------- console

def _post(**over):
    data = {"code": "open-restaurant", "name": "开办餐饮店", "description": "说明", "items": ["SCJG-001", "CGJ-001"],
            "life_event": "kbqy", "lead_department": "SF-XZSP", "promised_days": "10", "form_schema": ""}
    data.update(over)
    return data


def test_bundle_pages_are_walled(bundle, dept_head, county_admin, client):
    login_staff(client, dept_head)
    for url in (BASE, BASE + "new/", BASE + "open-restaurant/"):
        assert client.get(url).status_code == 403
    assert client.post(BASE + "new/", _post(code="x")).status_code == 403
    assert client.post(BASE + "open-restaurant/publish/").status_code == 403
    assert "/console/catalog/bundles/" not in client.get("/console/").content.decode()
    client.logout()
    login_staff(client, county_admin)
    assert "open-restaurant" not in client.get(BASE).content.decode()
    assert client.get(BASE + "open-restaurant/").status_code == 404
    assert client.post(BASE + "open-restaurant/publish/").status_code == 404
    assert client.post(BASE + "new/", _post(code="x")).status_code == 400  # SF-XZSP is not a choice here
    assert Bundle.objects.count() == 1 and not Bundle.objects.get().published


def test_bundle_console_create_merge_edit_publish(published, second, catalog_admin, client):
    login_staff(client, catalog_admin)
    assert "/console/catalog/bundles/" in client.get("/console/").content.decode()
    assert client.get(BASE).status_code == 200
    page = client.get(BASE + "new/").content.decode()
    assert "SCJG-001" in page and "CGJ-001" in page

    bad = client.post(BASE + "new/", _post(items=["SCJG-001"], form_schema="{bad", promised_days="0"))
    assert bad.status_code == 400 and "不是有效的 JSON" in bad.content.decode()
    bad = client.post(BASE + "new/", _post(code="坏 编码"))
    assert bad.status_code == 400 and "编码应为" in bad.content.decode()
    assert not Bundle.objects.exists()

    merged = client.post(BASE + "new/", _post(merge="1"))
    assert merged.status_code == 200 and not Bundle.objects.exists()
    schema_text = merged.context["form"].initial["form_schema"]
    assert set(json.loads(schema_text)["required"]) == {"shop_name", "sign_text"}

    response = client.post(BASE + "new/", _post(form_schema=schema_text))
    assert response.status_code == 302
    bundle = Bundle.objects.get()
    assert not bundle.published and bundle.form_schema["title"] == "开办餐饮店"
    detail = client.get(BASE + "open-restaurant/").content.decode()
    assert "已满足发布条件" in detail and "招牌文字" in detail

    bad = client.post(BASE + "open-restaurant/", _post(promised_days="abc"))
    assert bad.status_code == 400
    response = client.post(BASE + "open-restaurant/", _post(name="开办小餐馆", promised_days="25"))
    assert response.status_code == 302
    refused = client.post(BASE + "open-restaurant/publish/")
    assert refused.status_code == 409 and "不能超过所含事项中最长的法定办结时限" in refused.content.decode()
    client.post(BASE + "open-restaurant/", _post(name="开办小餐馆", promised_days="8"))
    assert client.post(BASE + "open-restaurant/publish/").status_code == 302
    bundle.refresh_from_db()
    assert bundle.published and bundle.name == "开办小餐馆" and bundle.promised_days == 8
    assert client.get(BASE + "open-restaurant/publish/").status_code == 405
    assert client.post(BASE + "open-restaurant/unpublish/").status_code == 302
    bundle.refresh_from_db()
    assert not bundle.published
    assert _audits() == ["catalog.bundle.create", "catalog.bundle.update", "catalog.bundle.update",
                         "catalog.bundle.publish", "catalog.bundle.unpublish"]


def test_a_published_bundle_is_open_on_the_application_side(bundle, catalog_admin, applicant, client):
    client.force_login(applicant)
    assert client.get("/apply/bundle/open-restaurant/").status_code == 404
    actions.do_publish_bundle(bundle, actor=catalog_admin)
    page = client.get("/apply/bundle/open-restaurant/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "店铺名称" in html and "招牌文字" in html  # the items' forms, merged
    assert client.get("/services/bundles/open-restaurant/").status_code == 200
    api = client.get("/api/v1/catalog/bundles/open-restaurant").json()
    assert api["life_event"] == "kbqy" and api["items"] == ["CGJ-001", "SCJG-001"]
    actions.do_unpublish_bundle(bundle, actor=catalog_admin)
    assert client.get("/apply/bundle/open-restaurant/").status_code == 404
    assert client.get("/api/v1/catalog/bundles/open-restaurant").status_code == 404

