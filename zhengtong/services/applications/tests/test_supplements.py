from __future__ import annotations

import pytest
import time_machine

from zhengtong.core.notify.models import Message
from zhengtong.core.timelimits.models import CaseStatus
from zhengtong.services.applications import actions
from zhengtong.services.applications.errors import InvalidInput, StateConflict
from zhengtong.services.applications.models import MaterialStatus, Status, SupplementStatus
from zhengtong.services.applications.supplements import compute_supplement_items
from zhengtong.services.applications.tests.conftest import EXE, pdf
from zhengtong.services.applications.tests.helpers import material_key, submit

pytestmark = pytest.mark.django_db
TUESDAY = "2026-05-12 10:00 +08:00"


def _only_id_card(item, applicant, form_data):
    return submit(item, applicant, form_data, uploads={material_key(item, "身份证明"): pdf()})


def test_list_is_computed_from_the_guide_against_what_was_provided(item, applicant, form_data):
    app = _only_id_card(item, applicant, form_data)
    id_card = item.current.materials.get(name="身份证明")
    items = compute_supplement_items(app, defective=[id_card.pk], notes={id_card.pk: "照片模糊"})
    assert [(i["name"], i["problem"], i["note"]) for i in items] == [
        ("身份证明", "不符合要求", "照片模糊"), ("场所证明", "缺少", "")]  # shared and optional ones are not listed


@time_machine.travel(TUESDAY, tick=False)
def test_supplement_pauses_then_the_answer_resumes_the_acceptance_clock(client, item, applicant, clerk, form_data):
    app = _only_id_card(item, applicant, form_data)
    id_card = item.current.materials.get(name="身份证明")
    items = compute_supplement_items(app, defective=[id_card.pk])
    sr = actions.do_request_supplement(app, items=items, note="请补齐", actor=clerk)
    app.refresh_from_db()
    app.acceptance_case.refresh_from_db()
    assert sr.status == SupplementStatus.OPEN and app.status == Status.SUPPLEMENTING
    assert app.acceptance_case.status == CaseStatus.PAUSED
    assert app.materials.get(name="身份证明").status == MaterialStatus.DEFECTIVE
    client.force_login(applicant)
    page = client.get(f"/apply/case/{app.number}/").content.decode()
    assert "身份证明" in page and "场所证明" in page and "一次性告知" in page
    # An incomplete answer is refused and changes nothing.
    response = client.post(f"/apply/case/{app.number}/supplement/1/", {material_key(item, "身份证明"): pdf()})
    assert response.status_code == 400 and "场所证明" in response.content.decode()
    response = client.post(f"/apply/case/{app.number}/supplement/1/", {
        material_key(item, "身份证明"): pdf(), material_key(item, "场所证明"): SimpleUploadedFile("a.pdf", EXE)})
    assert response.status_code == 400
    with time_machine.travel("2026-05-14 10:00 +08:00", tick=False):
        client.force_login(applicant)  # the session idled out over two days
        response = client.post(f"/apply/case/{app.number}/supplement/1/", {
            material_key(item, "身份证明"): pdf(), material_key(item, "场所证明"): pdf()})
    assert response.status_code == 302
    app.refresh_from_db()
    app.acceptance_case.refresh_from_db()
    assert app.status == Status.SUBMITTED and app.acceptance_case.status != CaseStatus.PAUSED
    assert app.acceptance_case.paused_days == 2
    assert not compute_supplement_items(app)
    actions.do_accept(app, actor=clerk)


def test_supplement_after_acceptance_pauses_the_processing_clock(item, applicant, clerk, form_data):
    app = actions.do_accept(submit(item, applicant, form_data), actor=clerk)
    actions.do_request_supplement(app, items=[], note="请补充租赁合同原件", actor=clerk)
    app.refresh_from_db()
    app.processing_case.refresh_from_db()
    assert app.status == Status.SUPPLEMENTING and app.processing_case.status == CaseStatus.PAUSED
    actions.do_answer_supplement(app.supplements.get(), uploads={}, actor=applicant)
    app.refresh_from_db()
    assert app.status == Status.REVIEWING


def test_empty_supplement_is_refused(item, applicant, clerk, form_data):
    app = submit(item, applicant, form_data)
    with pytest.raises(InvalidInput, match="补正清单为空"):
        actions.do_request_supplement(app, items=[], note="", actor=clerk)
    assert not app.supplements.exists()


def test_a_second_supplement_needs_the_department_heads_approval(item, applicant, clerk, form_data, city):
    from zhengtong.testing import personas as P

    head = P.staff("head.liu", "刘洋", item.department, roles=["dept_head"])
    app = _only_id_card(item, applicant, form_data)
    first = actions.do_request_supplement(app, items=compute_supplement_items(app), note="", actor=clerk)
    actions.do_answer_supplement(first, uploads={material_key(item, "场所证明"): pdf()}, actor=applicant)
    app.refresh_from_db()
    second = actions.do_request_supplement(app, items=[], note="场所证明与地址不符", actor=clerk)
    app.refresh_from_db()
    app.acceptance_case.refresh_from_db()
    assert second.sequence == 2 and second.status == SupplementStatus.AWAITING_APPROVAL
    assert app.status == Status.SUBMITTED and app.acceptance_case.status != CaseStatus.PAUSED
    with pytest.raises(StateConflict):
        actions.do_request_supplement(app, items=[], note="再来一次", actor=clerk)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.do_approve_supplement(second, approve=True, actor=clerk)
    actions.do_approve_supplement(second, approve=True, actor=head)
    app.refresh_from_db()
    app.acceptance_case.refresh_from_db()
    assert app.status == Status.SUPPLEMENTING and app.acceptance_case.status == CaseStatus.PAUSED
    with pytest.raises(StateConflict):
        actions.do_approve_supplement(second, approve=True, actor=head)



def _second_request(item, applicant, clerk, form_data):
    app = _only_id_card(item, applicant, form_data)
    first = actions.do_request_supplement(app, items=compute_supplement_items(app), note="", actor=clerk)
    actions.do_answer_supplement(first, uploads={material_key(item, "场所证明"): pdf()}, actor=applicant)
    app.refresh_from_db()
    return app, actions.do_request_supplement(app, items=[], note="场所证明与地址不符", actor=clerk)


def test_a_supervisor_in_scope_may_approve_a_second_supplement(item, applicant, clerk, supervisor, city,
                                                               form_data):
    from zhengtong.core.audit.models import AuditEntry
    from zhengtong.testing import personas as P

    head = P.staff("head.liu", "刘洋", item.department, roles=["dept_head"])
    other_head = P.staff("head.sun", "孙丽", city.dept("county_approval"), roles=["dept_head"])
    app, second = _second_request(item, applicant, clerk, form_data)
    told = set(Message.objects.filter(subject__contains="再次补正待批准").values_list("recipient_id", flat=True))
    assert told == {head.pk, supervisor.pk}  # not the county bureau's head, whose scope does not reach the case
    assert "部门负责人或监察人员" in Message.objects.filter(recipient=supervisor).first().body
    actions.do_approve_supplement(second, approve=True, actor=supervisor)
    app.refresh_from_db()
    second.refresh_from_db()
    assert app.status == Status.SUPPLEMENTING and second.approved_by == supervisor
    entry = AuditEntry.objects.get(action="applications.supplement.approved")
    assert entry.actor_id == supervisor.pk
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.do_approve_supplement(second, approve=False, actor=other_head)


def test_a_supervisor_outside_the_cases_region_may_not_approve(item, applicant, clerk, city, form_data):
    from django.core.exceptions import PermissionDenied

    from zhengtong.testing import personas as P

    county = P.staff("supervisor.county", "周强", city.dept("county_approval"), roles=["supervisor"],
                     scope="region")
    app, second = _second_request(item, applicant, clerk, form_data)
    assert not Message.objects.filter(recipient=county).exists()
    with pytest.raises(PermissionDenied):
        actions.do_approve_supplement(second, approve=True, actor=county)
    second.refresh_from_db()
    assert second.status == SupplementStatus.AWAITING_APPROVAL


def test_the_supervisor_approves_from_the_console(client, item, applicant, clerk, supervisor, form_data):
    from zhengtong.testing.personas import login_staff

    app, second = _second_request(item, applicant, clerk, form_data)
    login_staff(client, supervisor)
    page = client.get("/console/applications/approvals/")
    assert page.status_code == 200 and app.number in page.content.decode()
    assert client.get(f"/console/applications/{app.pk}/").status_code == 200
    response = client.post(f"/console/applications/approvals/{second.pk}/", {"approve": "0"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == SupplementStatus.REJECTED and second.approved_by == supervisor
    assert Message.objects.filter(recipient=clerk, subject__contains="未获批准").exists()


from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402


def test_pending_second_supplements_listed_and_approved_over_the_api(client, item, applicant, clerk, supervisor,
                                                                    form_data):
    from zhengtong.testing.personas import login_staff

    app, second = _second_request(item, applicant, clerk, form_data)
    login_staff(client, clerk)  # may not approve: sees none
    assert client.get("/api/v1/applications/staff/supplements/pending").json() == []
    client.logout()
    login_staff(client, supervisor)
    [pending] = client.get("/api/v1/applications/staff/supplements/pending").json()
    assert (pending["id"], pending["case_number"], pending["sequence"], pending["note"]) == (
        second.pk, app.number, 2, "场所证明与地址不符")
    approved = client.post(f"/api/v1/applications/staff/supplements/{second.pk}/approve", {"approve": True},
                           content_type="application/json")
    assert approved.status_code == 200 and approved.json()["status"] == SupplementStatus.OPEN
    assert client.get("/api/v1/applications/staff/supplements/pending").json() == []
