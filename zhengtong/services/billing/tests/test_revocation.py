from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.notify.models import Message
from zhengtong.core.seals.actions import VerifyStatus, do_revoke_document, verify_document
from zhengtong.services.applications.models import Status
from zhengtong.services.applications.numbers import format_number
from zhengtong.services.billing.actions import (
    BillingError,
    check_deliver_licence,
    check_revoke_licence,
    issue_licence,
)
from zhengtong.services.billing.models import License, LicenseStatus
from zhengtong.services.billing.tests.conftest import make_case
from zhengtong.services.billing.tests.test_licences import pdf_bytes
from zhengtong.testing import personas as P
from zhengtong.testing.personas import login_staff

pytestmark = pytest.mark.django_db
REASON = "申请人以欺骗手段取得许可"
BASIS = "《中华人民共和国行政许可法》第六十九条第二款"


@pytest.fixture
def licence(paid_item, applicant, approver) -> License:
    return issue_licence(make_case(paid_item, applicant, status=Status.GRANTED), actor=approver)


@pytest.fixture
def market_clerk(city):
    return P.staff("clerk.market", "吴静", city.dept("market"), roles=["clerk"])


def nothing_revoked(licence: License) -> bool:
    licence.refresh_from_db()
    licence.signed_document.refresh_from_db()
    return (licence.status == LicenseStatus.VALID and licence.revoked_at is None
            and licence.signed_document.revoked_at is None
            and not AuditEntry.objects.filter(action="billing.licence.revoke").exists())


def test_revoking_marks_the_licence_and_its_seal_record_and_tells_the_holder(client, licence, approver, applicant):
    revoked = check_revoke_licence(licence, reason=REASON, basis=BASIS, actor=approver)
    assert revoked.status == LicenseStatus.REVOKED and revoked.revoked_by == approver
    assert (revoked.revoke_reason, revoked.revoke_basis) == (REASON, BASIS)
    document = revoked.signed_document
    document.refresh_from_db()
    assert document.revoked_at is not None and REASON in document.revoke_reason and BASIS in document.revoke_reason
    assert verify_document(document.verify_code, pdf_bytes(revoked)).status == VerifyStatus.REVOKED
    page = client.get(f"/verify/{document.verify_code}/").content.decode()
    assert "该文件已被撤销" in page and REASON in page
    assert document.revoked_at.astimezone().strftime("%Y-%m-%d") in page
    entry = AuditEntry.objects.get(action="billing.licence.revoke")
    assert entry.actor_id == approver.pk and entry.after["basis"] == BASIS and entry.after["seal_revoked"] is True
    assert AuditEntry.objects.get(action="seals.document.revoke").actor_id == approver.pk
    event = licence.application.events.get(action="电子证照注销")
    assert event.public and REASON in event.note and BASIS in event.note
    channels = set(Message.objects.filter(recipient=applicant, subject__contains="证照已注销")
                   .values_list("channel", flat=True))
    assert channels == {"inbox", "sms"}


def test_revoking_twice_is_a_conflict(licence, approver, dept_head):
    check_revoke_licence(licence, reason=REASON, basis=BASIS, actor=approver)
    with pytest.raises(BillingError, match="不能重复注销") as exc:
        check_revoke_licence(licence, reason="再次", basis=BASIS, actor=dept_head)
    assert exc.value.status == 409
    assert AuditEntry.objects.filter(action="billing.licence.revoke").count() == 1
    assert License.objects.get(pk=licence.pk).revoked_by == approver


@pytest.mark.parametrize(("reason", "basis"), [("", BASIS), (REASON, ""), ("  ", "  ")])
def test_a_reason_and_a_basis_are_required(licence, approver, reason, basis):
    with pytest.raises(BillingError, match="理由和法律依据") as exc:
        check_revoke_licence(licence, reason=reason, basis=basis, actor=approver)
    assert exc.value.status == 400 and nothing_revoked(licence)


def test_only_approvers_and_heads_of_the_issuing_department_revoke(licence, clerk, market_clerk, supervisor):
    for user in (clerk, market_clerk, supervisor):  # other bureau; same bureau without the grant; watcher
        with pytest.raises(PermissionDenied):
            check_revoke_licence(licence, reason=REASON, basis=BASIS, actor=user)
    assert nothing_revoked(licence)


def test_a_seal_record_revoked_earlier_still_lets_the_licence_be_revoked(licence, approver):
    do_revoke_document(licence.signed_document, actor=approver, reason="印章密钥泄露")
    revoked = check_revoke_licence(licence, reason=REASON, basis=BASIS, actor=approver)
    revoked.signed_document.refresh_from_db()
    assert revoked.status == LicenseStatus.REVOKED and revoked.signed_document.revoke_reason == "印章密钥泄露"
    assert AuditEntry.objects.get(action="billing.licence.revoke").after["seal_revoked"] is False


def test_a_revoked_licence_is_not_delivered(licence, approver, dept_head):
    check_revoke_licence(licence, reason=REASON, basis=BASIS, actor=approver)
    with pytest.raises(BillingError, match="已注销"):
        check_deliver_licence(licence, actor=dept_head, method="window")


def test_the_holder_sees_it_revoked_and_may_still_download(client, free_item, applicant, approver):
    from zhengtong.core.seals.actions import verify_document

    case = make_case(free_item, applicant, status=Status.GRANTED)
    case.number = format_number("361200", date(2026, 5, 12), 1)  # a well-formed number: the case page parses it
    case.save(update_fields=["number"])
    licence = issue_licence(case, actor=approver)
    check_revoke_licence(licence, reason=REASON, basis=BASIS, actor=approver)
    client.force_login(applicant)
    mine = client.get("/apply/mine/").content.decode()
    assert "证照已注销" in mine
    assert client.get("/api/v1/applications/mine").json()[0]["licence_status"] == "revoked"
    case_page = client.get(f"/apply/case/{licence.application.number}/").content.decode()
    assert "（已注销）" in case_page and "电子证照注销" in case_page
    page = client.get(f"/pay/licences/{licence.number}/").content.decode()
    assert "已注销" in page and REASON in page and BASIS in page
    listed = client.get("/api/v1/billing/licences").json()[0]
    assert listed["status"] == "revoked" and listed["revoke_basis"] == BASIS
    response = client.get(f"/pay/licences/{licence.number}/download/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert verify_document(licence.signed_document.verify_code, body).status == VerifyStatus.REVOKED


def test_my_cases_show_a_valid_licence_plainly(client, free_item, applicant, approver):
    issue_licence(make_case(free_item, applicant, status=Status.GRANTED), actor=approver)
    client.force_login(applicant)
    assert "证照已注销" not in client.get("/apply/mine/").content.decode()
    assert client.get("/api/v1/applications/mine").json()[0]["licence_status"] == "valid"


def test_console_revokes_from_the_licence_page(client, licence, approver):
    login_staff(client, approver)
    listing = client.get("/console/billing/licences/").content.decode()
    assert f"/console/billing/licences/{licence.pk}/" in listing
    page = client.get(f"/console/billing/licences/{licence.pk}/")
    assert page.status_code == 200 and 'data-testid="revoke"' in page.content.decode()
    case_page = client.get(f"/console/applications/{licence.application_id}/").content.decode()
    assert f"/console/billing/licences/{licence.pk}/" in case_page and "有效" in case_page
    missing = client.post(f"/console/billing/licences/{licence.pk}/revoke/", {"reason": REASON, "basis": ""})
    assert missing.status_code == 400 and "法律依据" in missing.content.decode() and nothing_revoked(licence)
    done = client.post(f"/console/billing/licences/{licence.pk}/revoke/", {"reason": REASON, "basis": BASIS})
    assert done.status_code == 302
    page = client.get(f"/console/billing/licences/{licence.pk}/").content.decode()
    assert "已注销" in page and BASIS in page and 'data-testid="revoke"' not in page
    again = client.post(f"/console/billing/licences/{licence.pk}/revoke/", {"reason": REASON, "basis": BASIS})
    assert again.status_code == 409 and "不能重复注销" in again.content.decode()


def test_console_refuses_staff_without_the_grant(client, licence, market_clerk, other_clerk):
    login_staff(client, market_clerk)
    page = client.get(f"/console/billing/licences/{licence.pk}/")
    assert page.status_code == 200 and 'data-testid="revoke"' not in page.content.decode()
    post = client.post(f"/console/billing/licences/{licence.pk}/revoke/", {"reason": REASON, "basis": BASIS})
    assert post.status_code == 403
    client.logout()
    login_staff(client, other_clerk)
    assert client.get(f"/console/billing/licences/{licence.pk}/").status_code == 404
    assert nothing_revoked(licence)


def test_api_revokes_a_licence(client, licence, approver, other_clerk):
    url = f"/api/v1/billing/staff/licences/{licence.number}/revoke"
    login_staff(client, other_clerk)
    out_of_scope = client.post(url, json.dumps({"reason": REASON, "basis": BASIS}), content_type="application/json")
    assert out_of_scope.status_code == 404
    client.logout()
    login_staff(client, approver)
    unknown = client.post("/api/v1/billing/staff/licences/SF-SCJG-2099-000001/revoke",
                          json.dumps({"reason": REASON, "basis": BASIS}), content_type="application/json")
    assert unknown.status_code == 404
    bad = client.post(url, json.dumps({"reason": REASON, "basis": " "}), content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid" and nothing_revoked(licence)
    done = client.post(url, json.dumps({"reason": REASON, "basis": BASIS}), content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "revoked" and done.json()["revoke_reason"] == REASON
    again = client.post(url, json.dumps({"reason": REASON, "basis": BASIS}), content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_revoked"
