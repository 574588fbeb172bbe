from __future__ import annotations

import json

import pytest

from zhengtong.core.files.models import Attachment
from zhengtong.services.applications.models import Application, Status
from zhengtong.services.applications.tests.conftest import EXE, pdf
from zhengtong.services.applications.tests.helpers import material_key, submit
from zhengtong.testing.personas import login_staff

pytestmark = pytest.mark.django_db


def _upload(client, content=None, name="a.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/api/v1/files/", {"file": SimpleUploadedFile(name, content or pdf().read())})
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_my_cases_shows_only_mine(client, item, applicant, enterprise_user, form_data):
    mine = submit(item, applicant, form_data)
    theirs = submit(item, enterprise_user, form_data)
    client.force_login(applicant)
    page = client.get("/apply/mine/").content.decode()
    assert mine.number in page and theirs.number not in page
    assert client.get(f"/apply/case/{theirs.number}/").status_code == 404
    assert client.get(f"/api/v1/applications/cases/{theirs.number}").status_code == 404
    assert [c["number"] for c in client.get("/api/v1/applications/mine").json()] == [mine.number]
    assert client.post(f"/apply/case/{theirs.number}/withdraw/").status_code == 404


def test_api_submit_with_uploaded_attachments_then_detail(client, item, applicant, form_data):
    client.force_login(applicant)
    att = _upload(client)
    id_card = item.current.materials.get(name="身份证明").pk
    body = {"item_code": item.code, "data": form_data, "materials": {str(id_card): att}}
    response = client.post("/api/v1/applications/submit", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    detail = client.get(f"/api/v1/applications/cases/{number}").json()
    assert detail["status"] == "submitted" and detail["timeline"][0]["action"] == "申报"
    assert Attachment.objects.get(pk=att).object_type == "applications.application"
    # The same attachment cannot be reused for another case.
    again = client.post("/api/v1/applications/submit", json.dumps(body), content_type="application/json")
    assert again.status_code == 400 and "不能使用" in again.json()["message"]


def test_api_schema_errors_are_400_with_field_messages(client, item, applicant):
    client.force_login(applicant)
    body = {"item_code": item.code, "data": {"name": "李娟"}}
    response = client.post("/api/v1/applications/submit", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["shop_name"] == "请填写“店名”"
    assert not Application.objects.exists()


def test_api_and_console_accept_are_the_same_action(client, item, applicant, clerk, form_data):
    a, b = submit(item, applicant, form_data), submit(item, applicant, form_data)
    login_staff(client, clerk)
    assert a.number in client.get("/console/applications/").content.decode()
    response = client.post(f"/console/applications/{a.pk}/accept/")
    assert response.status_code == 302
    api = client.post(f"/api/v1/applications/staff/cases/{b.number}/accept")
    assert api.status_code == 200 and api.json()["status"] == "reviewing"
    again = client.post(f"/api/v1/applications/staff/cases/{b.number}/accept")
    assert again.status_code == 409 and "请勿重复受理" in again.json()["message"]
    console_again = client.post(f"/console/applications/{a.pk}/accept/")
    assert console_again.status_code == 409
    assert set(Application.objects.values_list("status", flat=True)) == {Status.REVIEWING}


def test_api_refuse_requires_a_reason(client, item, applicant, clerk, form_data):
    app = submit(item, applicant, form_data)
    login_staff(client, clerk)
    response = client.post(f"/api/v1/applications/staff/cases/{app.number}/refuse", json.dumps({"reason": ""}),
                           content_type="application/json")
    assert response.status_code == 400 and "理由" in response.json()["message"]


def test_api_supplement_and_answer(client, item, applicant, clerk, form_data):
    app = submit(item, applicant, form_data, uploads={material_key(item, "身份证明"): pdf()})
    login_staff(client, clerk)
    response = client.post(f"/api/v1/applications/staff/cases/{app.number}/supplement",
                           json.dumps({"note": ""}), content_type="application/json")
    assert response.status_code == 201 and [i["name"] for i in response.json()["items"]] == ["场所证明"]
    client.logout()
    client.force_login(applicant)
    place = item.current.materials.get(name="场所证明").pk
    att = _upload(client)
    response = client.post(f"/api/v1/applications/cases/{app.number}/supplements/1/answer",
                           json.dumps({"materials": {str(place): att}}), content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "submitted"


def test_api_withdraw_then_staff_accept_is_409(client, item, applicant, clerk, form_data):
    app = submit(item, applicant, form_data)
    client.force_login(applicant)
    response = client.post(f"/api/v1/applications/cases/{app.number}/withdraw", json.dumps({"reason": "不办了"}),
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    client.logout()
    login_staff(client, clerk)
    response = client.post(f"/api/v1/applications/staff/cases/{app.number}/accept")
    assert response.status_code == 409 and "撤回" in response.json()["message"]


def test_other_department_staff_do_not_see_the_case(client, item, applicant, other_clerk, form_data):
    app = submit(item, applicant, form_data)
    login_staff(client, other_clerk)
    assert client.get(f"/console/applications/{app.pk}/").status_code == 404
    assert client.get(f"/api/v1/applications/staff/cases/{app.number}").status_code == 404


def test_window_intake_submits_and_accepts_a_complete_case(client, item, applicant, clerk, form_data):
    login_staff(client, clerk)
    url = f"/console/applications/intake/?item={item.code}&who=11010519491231002X"
    page = client.get(url).content.decode()
    assert 'value="李娟"' in page
    post = {f"f.{k}": v for k, v in form_data.items()}
    post.update({material_key(item, "身份证明"): pdf(), material_key(item, "场所证明"): pdf()})
    response = client.post(url, post)
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.channel == "window" and app.created_by == clerk and app.applicant == applicant
    assert app.status == Status.REVIEWING


def test_window_intake_refuses_a_disguised_executable(client, item, applicant, clerk, form_data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login_staff(client, clerk)
    url = f"/console/applications/intake/?item={item.code}&who=11010519491231002X"
    post = {f"f.{k}": v for k, v in form_data.items()}
    post[material_key(item, "身份证明")] = SimpleUploadedFile("id.jpg", EXE)
    assert client.post(url, post).status_code == 400
    assert not Application.objects.exists() and not Attachment.objects.exists()


def test_window_intake_over_the_api(client, item, applicant, clerk, form_data):
    login_staff(client, clerk)
    scans = {str(item.current.materials.get(name=name).pk): _upload(client) for name in ("身份证明", "场所证明")}
    body = {"item_code": item.code, "applicant": "11010519491231002x", "data": form_data, "materials": scans}
    response = client.post("/api/v1/applications/staff/intake", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    case = response.json()
    assert (case["channel"], case["accepted"], case["status"]) == ("window", True, "reviewing")
    app = Application.objects.get(number=case["number"])
    assert app.created_by == clerk and app.applicant == applicant and app.accepted_by == clerk
    assert set(app.materials.exclude(attachment=None).values_list("attachment_id", flat=True)) == set(scans.values())


def test_window_intake_over_the_api_leaves_an_incomplete_case_for_acceptance(client, item, applicant, clerk,
                                                                              form_data):
    login_staff(client, clerk)
    scan = {str(item.current.materials.get(name="身份证明").pk): _upload(client)}
    body = {"item_code": item.code, "applicant": "11010519491231002X", "data": form_data, "materials": scan}
    response = client.post("/api/v1/applications/staff/intake", json.dumps(body), content_type="application/json")
    assert response.status_code == 201 and response.json()["accepted"] is False
    assert Application.objects.get().status == Status.SUBMITTED  # waits for 一次性告知 or acceptance


def test_window_intake_over_the_api_refuses_bad_input(client, item, applicant, clerk, form_data):
    url, json_type = "/api/v1/applications/staff/intake", "application/json"
    client.force_login(applicant)  # a citizen is no window clerk
    body = {"item_code": item.code, "applicant": "11010519491231002X", "data": form_data}
    assert client.post(url, json.dumps(body), content_type=json_type).status_code == 403
    client.logout()
    login_staff(client, clerk)
    unknown = client.post(url, json.dumps({**body, "applicant": "110101199003071233"}), content_type=json_type)
    assert unknown.status_code == 404 and unknown.json()["code"] == "no_applicant"
    bad = client.post(url, json.dumps({**body, "data": {"name": "李娟"}}), content_type=json_type)
    assert bad.status_code == 400 and bad.json()["errors"]["shop_name"] == "请填写“店名”"
    closed = client.post(url, json.dumps({**body, "item_code": "NO-SUCH"}), content_type=json_type)
    assert closed.status_code == 400 and closed.json()["code"] == "item_closed"
    assert not Application.objects.exists()


def test_unknown_applicant_at_the_window(client, item, clerk):
    login_staff(client, clerk)
    page = client.get(f"/console/applications/intake/?item={item.code}&who=110101199003071233").content.decode()
    assert "未找到" in page


def test_console_supplement_preview_then_confirm(client, item, applicant, clerk, form_data):
    app = submit(item, applicant, form_data, uploads={material_key(item, "身份证明"): pdf()})
    login_staff(client, clerk)
    preview = client.post(f"/console/applications/{app.pk}/supplement/", {"confirm": "0"})
    assert preview.status_code == 200 and "场所证明（缺少）" in preview.content.decode()
    assert not app.supplements.exists()
    done = client.post(f"/console/applications/{app.pk}/supplement/", {"confirm": "1", "note": "请补齐"})
    assert done.status_code == 302 and app.supplements.get().items[0]["name"] == "场所证明"


def test_rating_link_appears_for_finished_cases(client, item, applicant, clerk, form_data):
    from zhengtong.services.applications import actions

    app = actions.do_accept(submit(item, applicant, form_data), actor=clerk)
    actions.do_decide(app, granted=True, reason="", actor=clerk)
    client.force_login(applicant)
    response = client.get(f"/apply/case/{app.number}/")
    assert response.status_code == 200  # the link shows once supervision:rate exists
