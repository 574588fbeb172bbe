"""Item maintenance over the API (/api/v1/catalog/items/…/versions, /export): the console's
事项管理 for departments' own systems."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from zhengtong.core.audit.models import AuditEntry
from zhengtong.services.catalog.models import ItemVersion, Material, ServiceItem
from zhengtong.testing.personas import login_staff

API = "/api/v1/catalog"
JSON = "application/json"


def _send(client, method: str, url: str, body: dict | None = None):
    return getattr(client, method)(url, json.dumps(body or {}), content_type=JSON)


def _guide(code: str = "SCJG-001") -> dict:
    """The public guide as an anonymous reader gets it."""
    response = Client().get(f"{API}/items/{code}")
    assert response.status_code == 200, response.content
    return response.json()


def _writes() -> tuple[int, int, int, int]:
    return (ServiceItem.objects.count(), ItemVersion.objects.count(), Material.objects.count(),
            AuditEntry.objects.filter(action__startswith="catalog.").count())


@pytest.fixture
def head_client(client, dept_head):
    login_staff(client, dept_head)
    return client


@pytest.fixture
def new_item(content, materials):
    return {"code": "SCJG-001", "department": "SF-SCJG", "content": content, "materials": materials,
            "life_events": ["kbqy"]}


def test_create_edit_publish_and_version_again_with_the_guide_following(head_client, life_event, new_item):
    created = _send(head_client, "post", f"{API}/items", new_item)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["code"], body["department"], body["region"], body["current_version"]) == (
        "SCJG-001", "SF-SCJG", "361200", None)
    assert (body["draft"]["version"], body["draft"]["status"], body["life_events"]) == (1, "draft", ["kbqy"])
    assert [m["name"] for m in body["draft"]["materials"]] == ["食品经营许可申请书", "营业执照"]
    assert Client().get(f"{API}/items/SCJG-001").status_code == 404  # a draft is not public

    edited = _send(head_client, "put", f"{API}/items/SCJG-001/versions/1", {"content": {"promised_days": 5}})
    assert edited.status_code == 200, edited.content
    assert (edited.json()["version"], edited.json()["promised_days"], edited.json()["name"]) == (1, 5, "食品经营许可")
    published = _send(head_client, "post", f"{API}/items/SCJG-001/versions/1/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert published.json()["current"] is True
    assert (_guide()["version"], _guide()["promised_days"]) == (1, 5)

    opened = _send(head_client, "post", f"{API}/items/SCJG-001/versions")
    assert opened.status_code == 201 and (opened.json()["version"], opened.json()["status"]) == (2, "draft")
    again = _send(head_client, "post", f"{API}/items/SCJG-001/versions")
    assert again.status_code == 200 and again.json()["version"] == 2  # the open draft, not a third
    change = {"content": {"name": "食品经营许可（修订）"}, "materials": [{"name": "申请书", "trust_level": "D"}]}
    edited = _send(head_client, "put", f"{API}/items/SCJG-001/versions/2", change)
    assert edited.status_code == 200 and edited.json()["materials"][0]["name"] == "申请书"
    assert _guide()["name"] == "食品经营许可"  # the draft is not the guide yet
    assert _send(head_client, "post", f"{API}/items/SCJG-001/versions/2/publish").status_code == 200
    guide = _guide()
    assert (guide["version"], guide["name"], [m["name"] for m in guide["materials"]]) == (2, "食品经营许可（修订）", ["申请书"])

    versions = head_client.get(f"{API}/items/SCJG-001/versions").json()
    assert [(v["version"], v["status"], v["current"]) for v in versions] == [(2, "published", True),
                                                                            (1, "retired", False)]
    assert versions[1]["published_at"] is not None
    old = head_client.get(f"{API}/items/SCJG-001/versions/1").json()
    assert (old["name"], old["status"], len(old["materials"])) == ("食品经营许可", "retired", 2)
    assert list(AuditEntry.objects.filter(action__startswith="catalog.").values_list("action", flat=True)
                .order_by("id")) == ["catalog.item.create", "catalog.version.update", "catalog.version.publish",
                                     "catalog.version.create", "catalog.version.update", "catalog.version.publish"]


def test_editing_a_published_version_writes_and_answers_a_new_draft(published, head_client):
    response = _send(head_client, "put", f"{API}/items/SCJG-001/versions/1",
                     {"content": {"promised_days": 3}, "life_events": []})
    assert response.status_code == 200, response.content
    assert (response.json()["version"], response.json()["status"], response.json()["promised_days"]) == (2, "draft", 3)
    assert response.json()["life_events"] == [] and not published.life_events.exists()
    v1 = head_client.get(f"{API}/items/SCJG-001/versions/1").json()
    assert (v1["status"], v1["promised_days"]) == ("published", 10)
    assert _guide()["promised_days"] == 10


def test_a_running_application_keeps_its_version(published, head_client, applicant, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    citizen = Client()
    citizen.force_login(applicant)
    body = {"item_code": "SCJG-001", "data": {"shop_name": "李记小吃"}}
    submitted = _send(citizen, "post", "/api/v1/applications/submit", body)
    assert submitted.status_code == 201, submitted.content
    number = submitted.json()["number"]
    change = {"content": {"name": "食品经营许可（修订）"}, "materials": [{"name": "新申请书"}]}
    draft = _send(head_client, "put", f"{API}/items/SCJG-001/versions/1", change).json()
    assert _send(head_client, "post", f"{API}/items/SCJG-001/versions/{draft['version']}/publish").status_code == 200
    assert _guide()["name"] == "食品经营许可（修订）"
    case = citizen.get(f"/api/v1/applications/cases/{number}").json()
    assert case["item_name"] == "食品经营许可"
    assert [m["name"] for m in case["materials"]] == ["营业执照"]  # v1's shared licence; v2 has none
    from zhengtong.services.applications.models import Application
    assert Application.objects.get(number=number).item_version.version == 1


@pytest.mark.parametrize("change, field", [
    ({"code": "坏 编码"}, "code"),
    ({"content": {"statutory_days": 5, "promised_days": 9}}, "promised_days"),
    ({"content": {"statutory_days": "二十"}}, "statutory_days"),
    ({"content": {"acceptance_days": 2.5}}, "acceptance_days"),
    ({"content": {"name": ""}}, "name"),
    ({"department": "NO-SUCH"}, "department"),
    ({"region": "999999"}, "region"),
    ({"materials": [{"name": "申请书", "count": 0}]}, "materials.0.count"),
    ({"life_events": ["nope"]}, "life_events"),
])
def test_create_refuses_bad_input_with_field_errors_and_writes_nothing(head_client, life_event, new_item,
                                                                       change, field):
    body = {**new_item, **change}
    if "content" in change:
        body["content"] = {**new_item["content"], **change["content"]}
    response = _send(head_client, "post", f"{API}/items", body)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid" and field in response.json()["errors"]
    assert response.json()["message"]
    assert _writes() == (0, 0, 0, 0)


def test_a_refused_edit_changes_nothing(published, head_client):
    before = _writes()
    bad = _send(head_client, "put", f"{API}/items/SCJG-001/versions/1",
                {"content": {"promised_days": 99}, "materials": [{"name": ""}]})
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"promised_days", "materials.0.name"}
    assert _writes() == before  # not even the new draft an edit of a published version starts with
    assert [v["version"] for v in head_client.get(f"{API}/items/SCJG-001/versions").json()] == [1]


def test_another_departments_catalog_admin_is_refused(published, county_admin, clerk, client, new_item):
    login_staff(client, county_admin)
    before = _writes()
    assert client.get(f"{API}/items/SCJG-001/versions").status_code == 404
    assert client.get(f"{API}/items/SCJG-001/versions/1").status_code == 404
    assert _send(client, "put", f"{API}/items/SCJG-001/versions/1", {"content": {"name": "x"}}).status_code == 404
    assert _send(client, "post", f"{API}/items/SCJG-001/versions").status_code == 404
    assert _send(client, "post", f"{API}/items/SCJG-001/versions/1/publish").status_code == 404
    assert client.delete(f"{API}/items/SCJG-001/versions/1").status_code == 404
    refused = _send(client, "post", f"{API}/items", {**new_item, "code": "SCJG-002"})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert _writes() == before
    client.logout()
    login_staff(client, clerk)  # no catalog.item.manage at all
    assert client.get(f"{API}/items/SCJG-001/versions").status_code == 403
    assert _send(client, "post", f"{API}/items", {**new_item, "code": "SCJG-002"}).status_code == 403
    assert client.get(f"{API}/export").status_code == 403
    assert Client().get(f"{API}/items/SCJG-001/versions").status_code == 401
    assert _writes() == before


def test_wrong_state_actions_are_conflicts(published, item_draft_only, head_client):
    assert head_client.get(f"{API}/items/SCJG-001/versions/9").status_code == 404
    assert head_client.get(f"{API}/items/NOPE/versions").status_code == 404
    again = _send(head_client, "post", f"{API}/items/SCJG-001/versions/1/publish")
    assert again.status_code == 409 and again.json()["code"] == "conflict" and "只能发布草稿" in again.json()["message"]
    assert head_client.delete(f"{API}/items/SCJG-001/versions/1").status_code == 409  # published
    only = head_client.delete(f"{API}/items/SCJG-002/versions/1")
    assert only.status_code == 409 and "唯一的版本" in only.json()["message"]
    assert ItemVersion.objects.filter(item__code="SCJG-002").count() == 1
    draft = _send(head_client, "post", f"{API}/items/SCJG-001/versions").json()
    assert head_client.delete(f"{API}/items/SCJG-001/versions/{draft['version']}").status_code == 204
    assert [v["version"] for v in head_client.get(f"{API}/items/SCJG-001/versions").json()] == [1]
    assert AuditEntry.objects.filter(action="catalog.version.discard").count() == 1


@pytest.fixture
def item_draft_only(published, dept_head, content):
    from zhengtong.services.catalog import actions
    return actions.do_create_item(actor=dept_head, code="SCJG-002", department=published.department,
                                  content={**content, "name": "食品生产许可"})


def test_export_has_the_callers_items_like_the_console(published, second, head_client):
    response = head_client.get(f"{API}/export")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content))["事项"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [(r[0], r[1]) for r in rows] == [("SCJG-001", "食品经营许可")]  # not CGJ-001: another department
    console = load_workbook(io.BytesIO(head_client.get("/console/catalog/export/").content))["事项"]
    assert [[c.value for c in row] for row in console.iter_rows(min_row=2)] == rows
    empty = load_workbook(io.BytesIO(head_client.get(f"{API}/export", {"template": 1}).content))
    assert empty["事项"].max_row == 1 and empty["事项"]["A1"].value == "事项编码"
