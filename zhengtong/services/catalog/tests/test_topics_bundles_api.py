"""Life events and bundles over the API (/api/v1/catalog/life-events, /bundles, /staff/bundles):
the console's 主题管理 and 一件事管理, with the same actions, checks and messages."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from zhengtong.core.audit.models import AuditEntry
from zhengtong.services.catalog import actions
from zhengtong.services.catalog.models import Bundle, LifeEvent
from zhengtong.testing.personas import login_staff

API = "/api/v1/catalog"
JSON = "application/json"


def _send(client, method: str, url: str, body: dict | None = None):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, json.dumps(body or {}), content_type=JSON)


def _audits(prefix: str) -> list[str]:
    return list(AuditEntry.objects.filter(action__startswith=prefix).order_by("seq").values_list("action", flat=True))


def _topics() -> list[tuple]:
    return [(e.code, e.name, e.audience, e.sort_order, sorted(e.items.values_list("code", flat=True)))
            for e in LifeEvent.objects.order_by("code")]


def _bundles() -> list[dict]:
    return [actions.bundle_snapshot(b) for b in Bundle.objects.order_by("code")]


@pytest.fixture
def admin_client(client, catalog_admin):
    login_staff(client, catalog_admin)
    return client


# ---------------------------------------------------------------- life events

NEW_TOPIC = {"code": "shengyu", "name": "生育", "audience": "citizen", "sort_order": 20, "items": ["SCJG-001"]}


def test_a_topic_is_created_edited_and_deleted(published, second, item_draft, admin_client):
    created = _send(admin_client, "post", f"{API}/life-events", {**NEW_TOPIC, "items": ["SCJG-001", "SCJG-DRAFT"]})
    assert created.status_code == 201, created.content
    assert created.json() == {"code": "shengyu", "name": "生育", "audience": "citizen", "audience_label": "个人",
                              "sort_order": 20, "items": ["SCJG-001", "SCJG-DRAFT"], "bundles": []}
    public = Client().get(f"{API}/life-events/shengyu").json()
    assert [i["code"] for i in public["items"]] == ["SCJG-001"]  # the draft item only for staff

    renamed = _send(admin_client, "put", f"{API}/life-events/shengyu", {"code": "shengyu2", "name": "生育服务"})
    assert renamed.status_code == 200, renamed.content
    body = renamed.json()
    # only the fields given change: order, audience and items stay
    assert (body["code"], body["name"], body["sort_order"], body["audience"]) == ("shengyu2", "生育服务", 20, "citizen")
    assert body["items"] == ["SCJG-001", "SCJG-DRAFT"]
    assert _send(admin_client, "put", f"{API}/life-events/shengyu", {"name": "x"}).status_code == 404
    emptied = _send(admin_client, "put", f"{API}/life-events/shengyu2", {"items": []})
    assert emptied.status_code == 200 and emptied.json()["items"] == []

    assert admin_client.delete(f"{API}/life-events/shengyu2").status_code == 204
    assert admin_client.delete(f"{API}/life-events/shengyu2").status_code == 404
    assert [t[0] for t in _topics()] == ["kbqy"]
    assert _audits("catalog.topic") == ["catalog.topic.create", "catalog.topic.update", "catalog.topic.update",
                                        "catalog.topic.delete"]
    entry = AuditEntry.objects.get(action="catalog.topic.create")
    assert entry.after["items"] == ["SCJG-001", "SCJG-DRAFT"]


@pytest.mark.parametrize("change, field", [
    ({"code": "坏 编码"}, "code"),
    ({"code": "kbqy"}, "code"),
    ({"code": None}, "code"),
    ({"name": ""}, "name"),
    ({"name": "长" * 61}, "name"),
    ({"audience": "alien"}, "audience"),
    ({"sort_order": "abc"}, "sort_order"),
    ({"sort_order": -1}, "sort_order"),
    ({"items": ["NOPE"]}, "items"),
])
def test_bad_topic_input_is_refused_with_field_errors_and_writes_nothing(published, admin_client, change, field):
    before = _topics()
    created = _send(admin_client, "post", f"{API}/life-events", {**NEW_TOPIC, **change})
    assert created.status_code == 400, created.content
    assert created.json()["code"] == "invalid" and field in created.json()["errors"]
    assert created.json()["message"].startswith("主题信息有误")
    if change.get("code") != "kbqy":  # its own code is no duplicate
        edited = _send(admin_client, "put", f"{API}/life-events/kbqy", {**change, "items": change.get("items", [])})
        assert edited.status_code == 400 and field in edited.json()["errors"], edited.content
    assert _topics() == before  # kbqy still holds SCJG-001: the refused edit emptied nothing
    assert _audits("catalog.topic") == []


def test_a_topic_without_a_name_or_code_is_refused_per_field(admin_client, life_event):
    response = _send(admin_client, "post", f"{API}/life-events", {})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"code", "name"}
    assert [t[0] for t in _topics()] == ["kbqy"]


def test_topics_need_a_citywide_grant_over_the_api_too(published, dept_head, county_admin, client):
    before = _topics()
    for user in (dept_head, county_admin):  # no catalog.topic.manage; the action, but for the county only
        login_staff(client, user)
        refused = _send(client, "post", f"{API}/life-events", NEW_TOPIC)
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden", refused.content
        if user == county_admin:  # holds the action, but not city-wide: told why
            assert "全市范围" in refused.json()["message"]
        assert _send(client, "put", f"{API}/life-events/kbqy", {"name": "改名"}).status_code == 403
        assert _send(client, "put", f"{API}/life-events/nope", {"name": "改名"}).status_code == 403  # 403 first
        assert client.delete(f"{API}/life-events/kbqy").status_code == 403
        client.logout()
    assert _send(Client(), "post", f"{API}/life-events", NEW_TOPIC).status_code == 401
    assert Client().delete(f"{API}/life-events/kbqy").status_code == 401
    assert _topics() == before and _audits("catalog.topic") == []


def test_deleting_a_topic_still_in_use_is_a_conflict(published, second, admin_client, catalog_admin):
    refused = admin_client.delete(f"{API}/life-events/kbqy")
    assert refused.status_code == 409, refused.content
    assert refused.json()["code"] == "conflict" and "仍有 1 个事项、0 个“一件事”" in refused.json()["message"]
    assert _send(admin_client, "put", f"{API}/life-events/kbqy", {"items": []}).status_code == 200
    actions.do_create_bundle(actor=catalog_admin, code="open-restaurant", data=_bundle_data())
    assert admin_client.get(f"{API}/staff/bundles/open-restaurant").json()["life_event"] == "kbqy"
    refused = admin_client.delete(f"{API}/life-events/kbqy")
    assert refused.status_code == 409 and "0 个事项、1 个“一件事”" in refused.json()["message"]
    assert LifeEvent.objects.filter(code="kbqy").exists()
    assert _audits("catalog.topic") == ["catalog.topic.update"]
    assert admin_client.delete(f"{API}/life-events/nope").status_code == 404


# ---------------------------------------------------------------- bundles

def _bundle_data(**over) -> dict:
    data = {"name": "开办餐饮店", "description": "一次申报食品经营许可和户外招牌设置许可",
            "items": ["SCJG-001", "CGJ-001"], "life_event": "kbqy", "lead_department": "SF-XZSP",
            "form_schema": {}, "promised_days": 10}
    data.update(over)
    return data


NEW_BUNDLE = {"code": "open-restaurant", **_bundle_data()}


def test_a_bundle_is_created_edited_published_and_unpublished(published, second, admin_client):
    created = _send(admin_client, "post", f"{API}/bundles", NEW_BUNDLE)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["code"], body["published"], body["items"], body["problems"]) == (
        "open-restaurant", False, ["CGJ-001", "SCJG-001"], {})
    assert (body["lead_department"], body["lead_department_name"], body["life_event"]) == (
        "SF-XZSP", "市行政审批局", "kbqy")
    assert Client().get(f"{API}/bundles/open-restaurant").status_code == 404  # not public yet
    staff = admin_client.get(f"{API}/staff/bundles/open-restaurant")
    assert staff.status_code == 200 and staff.json() == body
    listed = admin_client.get(f"{API}/staff/bundles").json()
    assert [(b["code"], b["published"], b["item_count"]) for b in listed] == [("open-restaurant", False, 2)]

    edited = _send(admin_client, "put", f"{API}/bundles/open-restaurant", {"promised_days": 8, "life_event": None})
    assert edited.status_code == 200, edited.content
    body = edited.json()
    # only the fields given change
    assert (body["promised_days"], body["life_event"], body["name"], body["items"]) == (
        8, None, "开办餐饮店", ["CGJ-001", "SCJG-001"])

    published_ = _send(admin_client, "post", f"{API}/bundles/open-restaurant/publish")
    assert published_.status_code == 200 and published_.json()["published"] is True
    public = Client().get(f"{API}/bundles/open-restaurant")
    assert public.status_code == 200 and public.json()["promised_days"] == 8
    again = _send(admin_client, "post", f"{API}/bundles/open-restaurant/publish")
    assert again.status_code == 409 and again.json()["code"] == "conflict" and "已发布" in again.json()["message"]

    closed = _send(admin_client, "post", f"{API}/bundles/open-restaurant/unpublish")
    assert closed.status_code == 200 and closed.json()["published"] is False
    assert Client().get(f"{API}/bundles/open-restaurant").status_code == 404
    again = _send(admin_client, "post", f"{API}/bundles/open-restaurant/unpublish")
    assert again.status_code == 409 and "未发布" in again.json()["message"]
    assert _audits("catalog.bundle") == ["catalog.bundle.create", "catalog.bundle.update", "catalog.bundle.publish",
                                         "catalog.bundle.unpublish"]
    entry = AuditEntry.objects.get(action="catalog.bundle.update")
    assert (entry.before["promised_days"], entry.after["promised_days"]) == (10, 8)


@pytest.mark.parametrize("change, field", [
    ({"code": "坏 编码"}, "code"),
    ({"name": ""}, "name"),
    ({"items": ["SCJG-001", "NOPE"]}, "items"),
    ({"items": ["SCJG-001", "SCJG-DRAFT"]}, "items"),  # no published version
    ({"life_event": "nope"}, "life_event"),
    ({"lead_department": "NOPE"}, "lead_department"),
    ({"form_schema": {"type": "object", "required": ["x"], "properties": {}}}, "form_schema"),
    ({"form_schema": [1, 2]}, "form_schema"),
    ({"promised_days": 0}, "promised_days"),
    ({"promised_days": "十"}, "promised_days"),
    ({"promised_days": None}, "promised_days"),
])
def test_bad_bundle_input_is_refused_with_field_errors_and_writes_nothing(published, second, item_draft,
                                                                         admin_client, change, field):
    response = _send(admin_client, "post", f"{API}/bundles", {**NEW_BUNDLE, **change})
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid" and field in response.json()["errors"]
    assert response.json()["message"]
    assert not Bundle.objects.exists() and _audits("catalog.bundle") == []


def test_a_refused_bundle_edit_changes_nothing(published, second, item_draft, admin_client):
    assert _send(admin_client, "post", f"{API}/bundles", NEW_BUNDLE).status_code == 201
    before = _bundles()
    bad = _send(admin_client, "put", f"{API}/bundles/open-restaurant",
                {"name": "", "items": ["SCJG-DRAFT"], "promised_days": "abc"})
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"name", "items", "promised_days"}
    duplicate = _send(admin_client, "post", f"{API}/bundles", NEW_BUNDLE)
    assert duplicate.status_code == 400 and "已存在" in duplicate.json()["errors"]["code"]
    assert _send(admin_client, "post", f"{API}/bundles/open-restaurant/publish").status_code == 200
    before = _bundles()
    # a published bundle must stay publishable: a single item is bad input, not a state conflict
    single = _send(admin_client, "put", f"{API}/bundles/open-restaurant", {"items": ["SCJG-001"]})
    assert single.status_code == 400 and "至少应包含两个事项" in single.json()["errors"]["items"]
    assert _bundles() == before
    assert _audits("catalog.bundle") == ["catalog.bundle.create", "catalog.bundle.publish"]


def test_publishing_a_bundle_with_problems_is_refused_and_leaves_it_unpublished(published, second, admin_client):
    slow = _send(admin_client, "post", f"{API}/bundles", {**NEW_BUNDLE, "promised_days": 21}).json()
    expected = "承诺办结时限（21 个工作日）不能超过所含事项中最长的法定办结时限（20 个工作日）"
    assert slow["problems"] == {"promised_days": expected}  # shown before trying, as the console does
    before = _bundles()
    refused = _send(admin_client, "post", f"{API}/bundles/open-restaurant/publish")
    assert refused.status_code == 409, refused.content
    assert refused.json()["code"] == "conflict" and refused.json()["errors"] == {"promised_days": expected}
    one = _send(admin_client, "post", f"{API}/bundles", {**NEW_BUNDLE, "code": "one", "items": ["SCJG-001"]})
    assert "至少应包含两个事项" in one.json()["problems"]["items"]
    refused = _send(admin_client, "post", f"{API}/bundles/one/publish")
    assert refused.status_code == 409 and "至少应包含两个事项" in refused.json()["errors"]["items"]
    gap = {"type": "object", "required": ["shop_name"],
           "properties": {"shop_name": {"type": "string", "title": "店铺名称"}}}
    form = _send(admin_client, "post", f"{API}/bundles", {**NEW_BUNDLE, "code": "form", "form_schema": gap})
    assert form.status_code == 201
    refused = _send(admin_client, "post", f"{API}/bundles/form/publish")
    assert refused.status_code == 409
    assert refused.json()["errors"]["form_schema"] == "合并申请表缺少事项“户外招牌设置许可”的必填字段“招牌文字”"
    assert not Bundle.objects.filter(published=True).exists()
    assert [b for b in _bundles() if b["code"] == "open-restaurant"] == before
    assert _audits("catalog.bundle.publish") == []
    fixed = _send(admin_client, "put", f"{API}/bundles/open-restaurant", {"promised_days": 20})
    assert fixed.json()["problems"] == {}
    assert _send(admin_client, "post", f"{API}/bundles/open-restaurant/publish").status_code == 200


def test_bundles_are_walled_by_the_lead_departments_scope(published, second, catalog_admin, dept_head,
                                                          county_admin, client):
    actions.do_create_bundle(actor=catalog_admin, code="open-restaurant", data=_bundle_data())
    before = _bundles()
    login_staff(client, dept_head)  # no catalog.bundle.manage
    for method, url in (("get", "staff/bundles"), ("get", "staff/bundles/open-restaurant"),
                        ("post", "bundles"), ("put", "bundles/open-restaurant"),
                        ("post", "bundles/open-restaurant/publish"), ("post", "bundles/open-restaurant/unpublish")):
        refused = _send(client, method, f"{API}/{url}", {**NEW_BUNDLE, "code": "b2"})
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden", (url, refused.content)
    client.logout()
    login_staff(client, county_admin)  # bundles led in the county only
    assert client.get(f"{API}/staff/bundles").json() == []
    for method, url in (("get", "staff/bundles/open-restaurant"), ("put", "bundles/open-restaurant"),
                        ("post", "bundles/open-restaurant/publish"), ("post", "bundles/open-restaurant/unpublish")):
        assert _send(client, method, f"{API}/{url}", {"name": "x"}).status_code == 404, url
    refused = _send(client, "post", f"{API}/bundles", {**NEW_BUNDLE, "code": "b2"})  # led by SF-XZSP: outside
    assert refused.status_code == 403
    county = _send(client, "post", f"{API}/bundles", {**NEW_BUNDLE, "code": "b2", "lead_department": "DH-XZSP"})
    assert county.status_code == 201, county.content
    moved = _send(client, "put", f"{API}/bundles/b2", {"lead_department": "SF-XZSP"})  # may not hand it to the city
    assert moved.status_code == 403 and Bundle.objects.get(code="b2").lead_department.code == "DH-XZSP"
    assert [b["code"] for b in client.get(f"{API}/staff/bundles").json()] == ["b2"]
    client.logout()
    assert _send(Client(), "post", f"{API}/bundles", NEW_BUNDLE).status_code == 401
    assert Client().get(f"{API}/staff/bundles").status_code == 401
    assert [b for b in _bundles() if b["code"] != "b2"] == before
    assert _audits("catalog.bundle") == ["catalog.bundle.create", "catalog.bundle.create"]


def test_unknown_bundles_are_404(admin_client, city):
    assert admin_client.get(f"{API}/staff/bundles/nope").status_code == 404
    assert _send(admin_client, "put", f"{API}/bundles/nope", {"name": "x"}).status_code == 404
    for verb in ("publish", "unpublish"):
        response = _send(admin_client, "post", f"{API}/bundles/nope/{verb}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_staff_bundle_list_has_a_pinned_query_count(published, second, catalog_admin, admin_client,
                                                        django_assert_max_num_queries):
    for n in range(5):
        actions.do_create_bundle(actor=catalog_admin, code=f"b{n}", data=_bundle_data())
    with django_assert_max_num_queries(12):
        listed = admin_client.get(f"{API}/staff/bundles")
    assert [b["code"] for b in listed.json()] == ["b0", "b1", "b2", "b3", "b4"]


@pytest.fixture
def item_draft(city, dept_head, content):
    """An item with no published version: it may be filed under a topic, not put in a bundle."""
    return actions.do_create_item(actor=dept_head, code="SCJG-DRAFT", department=city.dept("market"),
                                  content=content)
