from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from zhengtong.core.audit.models import AuditEntry
from zhengtong.services.catalog import actions
from zhengtong.services.catalog.actions import CatalogConflict, CatalogError
from zhengtong.services.catalog.models import Bundle, LifeEvent
from zhengtong.testing.personas import login_staff

BASE = "/console/catalog/topics/"


def _data(**over):
    data = {"code": "shengyu", "name": "生育", "audience": "citizen", "sort_order": 20, "items": []}
    data.update(over)
    return data


def test_catalog_admin_creates_a_topic_and_files_items_under_it(published, second, catalog_admin):
    event = actions.do_create_life_event(actor=catalog_admin, data=_data(items=["SCJG-001", "CGJ-001"]))
    assert (event.code, event.name, event.audience, event.sort_order) == ("shengyu", "生育", "citizen", 20)
    assert sorted(event.items.values_list("code", flat=True)) == ["CGJ-001", "SCJG-001"]
    entry = AuditEntry.objects.get(action="catalog.topic.create")
    assert entry.actor_id == catalog_admin.pk and entry.after["items"] == ["CGJ-001", "SCJG-001"]

    actions.do_update_life_event(event, actor=catalog_admin,
                                 data=_data(code="shengyu2", name="生育服务", sort_order=5, items=["CGJ-001"]))
    event.refresh_from_db()
    assert (event.code, event.name, event.sort_order) == ("shengyu2", "生育服务", 5)
    assert list(event.items.values_list("code", flat=True)) == ["CGJ-001"]
    entry = AuditEntry.objects.get(action="catalog.topic.update")
    assert entry.before["code"] == "shengyu" and entry.before["items"] == ["CGJ-001", "SCJG-001"]
    assert entry.after["code"] == "shengyu2" and entry.after["items"] == ["CGJ-001"]
    # without "items" the membership is left alone
    actions.do_update_life_event(event, actor=catalog_admin, data={**_data(code="shengyu2"), "items": None})
    assert list(event.items.values_list("code", flat=True)) == ["CGJ-001"]


def test_topics_need_a_citywide_grant(city, dept_head, county_admin, clerk):
    for actor in (dept_head, clerk):
        with pytest.raises(PermissionDenied, match="维护主题"):
            actions.do_create_life_event(actor=actor, data=_data())
    with pytest.raises(PermissionDenied, match="全市范围"):
        actions.do_create_life_event(actor=county_admin, data=_data())
    assert not LifeEvent.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="catalog.topic").exists()


@pytest.mark.parametrize("change, field, message", [
    ({"code": "坏 编码"}, "code", "主题编码应为"),
    ({"code": "kbqy"}, "code", "已存在"),
    ({"code": ""}, "code", "主题编码应为"),
    ({"name": ""}, "name", "请填写主题名称"),
    ({"name": "长" * 61}, "name", "不能超过"),
    ({"audience": "alien"}, "audience", "服务对象不正确"),
    ({"sort_order": -1}, "sort_order", "排序应为"),
    ({"sort_order": "abc"}, "sort_order", "排序应为"),
    ({"items": ["NOPE"]}, "items", "事项“NOPE”不存在"),
])
def test_bad_topic_input_writes_nothing(life_event, catalog_admin, change, field, message):
    with pytest.raises(CatalogError) as exc:
        actions.do_create_life_event(actor=catalog_admin, data=_data(**change))
    assert message in exc.value.errors[field]
    assert list(LifeEvent.objects.values_list("code", flat=True)) == ["kbqy"]
    assert not AuditEntry.objects.filter(action__startswith="catalog.topic").exists()


def test_a_topic_still_in_use_cannot_be_deleted(published, second, catalog_admin, city):
    event = published.life_events.get()
    with pytest.raises(CatalogConflict, match="仍有 1 个事项、0 个“一件事”"):
        actions.do_delete_life_event(event, actor=catalog_admin)
    event.items.clear()
    bundle = Bundle.objects.create(code="b", name="b", lead_department=city.dept("approval"), promised_days=1,
                                   life_event=event)
    with pytest.raises(CatalogConflict, match="0 个事项、1 个“一件事”"):
        actions.do_delete_life_event(event, actor=catalog_admin)
    assert LifeEvent.objects.filter(pk=event.pk).exists()
    bundle.delete()
    actions.do_delete_life_event(event, actor=catalog_admin)
    assert not LifeEvent.objects.exists()
    entry = AuditEntry.objects.get(action="catalog.topic.delete")
    assert entry.before["code"] == "kbqy" and entry.object_type == "catalog.lifeevent"


# ---------------------------------------------------------------- console

def test_topic_pages_are_walled(life_event, dept_head, county_admin, client):
    for user in (dept_head, county_admin):
        login_staff(client, user)
        assert client.get(BASE).status_code == 403
        assert client.get(BASE + "new/").status_code == 403
        assert client.post(BASE + "new/", {"code": "x", "name": "x", "audience": "both",
                                           "sort_order": "1"}).status_code == 403
        assert client.get(BASE + "kbqy/").status_code == 403
        assert client.post(BASE + "kbqy/delete/").status_code == 403
        if user == dept_head:
            assert "/console/catalog/topics/" not in client.get("/console/").content.decode()
        else:  # holds the action, but not city-wide: told why
            assert "全市范围" in client.get(BASE).content.decode()
        client.logout()
    assert list(LifeEvent.objects.values_list("code", flat=True)) == ["kbqy"]


def test_topic_console_create_edit_delete(published, catalog_admin, client):
    login_staff(client, catalog_admin)
    assert "/console/catalog/topics/" in client.get("/console/").content.decode()
    page = client.get(BASE)
    assert page.status_code == 200 and "开办企业" in page.content.decode()
    assert client.get(BASE + "new/").status_code == 200

    bad = client.post(BASE + "new/", {"code": "kbqy", "name": "重复", "audience": "both", "sort_order": "1"})
    assert bad.status_code == 400 and "主题编码“kbqy”已存在" in bad.content.decode()
    bad = client.post(BASE + "new/", {"code": "a b", "name": "", "audience": "both", "sort_order": "x"})
    assert bad.status_code == 400
    assert LifeEvent.objects.count() == 1

    response = client.post(BASE + "new/", {"code": "yanglao", "name": "养老", "audience": "citizen",
                                           "sort_order": "30", "items": ["SCJG-001"]})
    assert response.status_code == 302
    event = LifeEvent.objects.get(code="yanglao")
    assert list(event.items.values_list("code", flat=True)) == ["SCJG-001"]

    edit = client.get(BASE + "yanglao/").content.decode()
    assert 'value="SCJG-001"' in edit and "checked" in edit
    response = client.post(BASE + "yanglao/", {"code": "yanglao", "name": "养老服务", "audience": "citizen",
                                               "sort_order": "30"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.name == "养老服务" and not event.items.exists()

    refused = client.post(BASE + "kbqy/delete/")
    assert refused.status_code == 409 and "仍有 1 个事项" in refused.content.decode()
    assert client.get(BASE + "kbqy/delete/").status_code == 405
    assert client.post(BASE + "yanglao/delete/").status_code == 302
    assert list(LifeEvent.objects.values_list("code", flat=True)) == ["kbqy"]
    assert client.get(BASE + "nope/").status_code == 404
    actions_seen = set(AuditEntry.objects.filter(action__startswith="catalog.topic").values_list("action", flat=True))
    assert actions_seen == {"catalog.topic.create", "catalog.topic.update", "catalog.topic.delete"}


# ---------------------------------------------------------------- API

def test_api_lists_topics_with_published_items(published, item_draft_only, client):
    body = client.get("/api/v1/catalog/life-events").json()
    assert body == [{"code": "kbqy", "name": "开办企业", "audience": "enterprise", "audience_label": "法人",
                     "sort_order": 100, "item_count": 1}]
    detail = client.get("/api/v1/catalog/life-events/kbqy").json()
    assert [i["code"] for i in detail["items"]] == ["SCJG-001"] and detail["bundles"] == []
    assert client.get("/api/v1/catalog/life-events/nope").status_code == 404


@pytest.fixture
def item_draft_only(city, dept_head, content):
    """An unpublished item filed under the topic: not public, not counted."""
    return actions.do_create_item(actor=dept_head, code="SCJG-DRAFT", department=city.dept("market"),
                                  content=content, life_events=["kbqy"])
