from __future__ import annotations

from datetime import date

import pytest
import time_machine

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.seals.actions import VerifyStatus, do_revoke_document, verify_document
from zhengtong.core.seals.models import Seal
from zhengtong.services.applications.models import Status
from zhengtong.services.billing.actions import (
    BillingError,
    check_deliver_licence,
    issue_bill,
    issue_licence,
)
from zhengtong.services.billing.gateways import LoggingGateway
from zhengtong.services.billing.models import DeliveryMethod, License, Payment
from zhengtong.services.billing.tests.conftest import make_case
from zhengtong.testing.personas import login_staff


@pytest.fixture
def granted(paid_item, applicant):
    return make_case(paid_item, applicant, status=Status.GRANTED)


def pdf_bytes(licence: License) -> bytes:
    with licence.pdf.file.open("rb") as handle:
        return handle.read()


def pay(client, bill) -> None:
    from zhengtong.services.billing.actions import check_start_payment

    start = check_start_payment(bill, actor=bill.payer)
    payment = Payment.objects.get(gateway_ref=start.ref)
    assert client.post("/pay/callback/logging/", LoggingGateway().callback_fields(payment)).status_code == 200


@time_machine.travel("2026-05-11 10:00 +0800", tick=False)
def test_a_granted_case_gets_a_sealed_pdf_that_verifies(granted, approver, city, applicant):
    licence = issue_licence(granted, actor=approver, valid_until=date(2031, 5, 10))
    assert licence.number == "SF-SCJG-2026-000001"
    assert licence.word_number == "市市场监督管理局许〔2026〕000001号"
    assert licence.title == "食品经营许可" and licence.holder == applicant
    assert licence.masked_holder_id != granted.applicant_id_number and licence.masked_holder_id.endswith("002X")
    labels = {row["label"]: row["value"] for row in licence.content}
    assert labels["店铺名称"] == "味道小馆" and labels["经营项目"] == "热食类、冷食类"
    assert "照片" not in labels and "19491231" not in labels["负责人身份证"]  # uploads left out, IDs masked
    data = pdf_bytes(licence)
    assert data.startswith(b"%PDF-") and b"STSong-Light" in data and data.rstrip().endswith(b"%%EOF")
    document = licence.signed_document
    assert document.seal.department == city.dept("market") and document.signed_by == approver
    assert verify_document(document.verify_code, data).status == VerifyStatus.GENUINE
    tampered = data.replace(b"STSong-Light", b"STSong-Lighx", 1)
    assert verify_document(document.verify_code, tampered).status == VerifyStatus.TAMPERED
    entry = AuditEntry.objects.get(action="billing.licence.issue")
    assert entry.actor_id == approver.pk and entry.after["verify_code"] == document.verify_code


def test_a_seal_is_made_for_a_department_without_one(granted, approver, city):
    assert not Seal.objects.exists()
    issue_licence(granted, actor=approver)
    seal = Seal.objects.get(department=city.dept("market"), active=True)
    created = AuditEntry.objects.get(action="seals.seal.create")
    assert created.actor_id is None and created.object_id == str(seal.pk)


def test_the_system_signs_when_no_official_holds_the_signing_grant(granted, clerk):
    licence = issue_licence(granted, actor=None)
    assert licence.signed_document.signed_by is None
    assert verify_document(licence.signed_document.verify_code, pdf_bytes(licence)).genuine
    # a clerk of another department has no signing grant for the market bureau: the system signs too
    other = make_case(granted.item_version, granted.applicant, status=Status.GRANTED)
    assert issue_licence(other, actor=clerk).signed_document.signed_by is None


def test_issuing_twice_returns_the_same_licence(granted, approver):
    first = issue_licence(granted, actor=approver)
    assert issue_licence(granted, actor=approver).pk == first.pk
    assert License.objects.count() == 1


@pytest.mark.parametrize("status", [Status.REVIEWING, Status.DENIED, Status.WITHDRAWN])
def test_no_licence_before_a_grant(paid_item, applicant, approver, status):
    case = make_case(paid_item, applicant, status=status)
    with pytest.raises(BillingError, match="尚未准予许可"):
        issue_licence(case, actor=approver)
    assert not License.objects.exists()


def test_the_qr_link_leads_to_the_seal_verification(client, granted, approver):
    licence = issue_licence(granted, actor=approver)
    response = client.get(f"/pay/licences/{licence.number}/verify/")
    assert response.status_code == 302 and response.url == f"/verify/{licence.signed_document.verify_code}/"
    page = client.get(response.url)
    assert page.status_code == 200 and "真实有效" in page.content.decode()
    assert client.get("/pay/licences/NOPE-2026-000001/verify/").status_code == 404


def test_a_revoked_seal_record_shows_as_revoked(client, granted, approver):
    licence = issue_licence(granted, actor=approver)
    do_revoke_document(licence.signed_document, actor=approver, reason="证照注销")
    assert verify_document(licence.signed_document.verify_code, pdf_bytes(licence)).status == VerifyStatus.REVOKED


# --- download and delivery ---------------------------------------------------------------------


def test_download_is_refused_to_others(client, granted, approver, enterprise_user):
    licence = issue_licence(granted, actor=approver)
    client.force_login(enterprise_user)
    assert client.get(f"/pay/licences/{licence.number}/download/").status_code == 404
    assert client.get(f"/pay/licences/{licence.number}/").status_code == 404
    client.logout()
    assert client.get(f"/pay/licences/{licence.number}/download/").status_code == 302  # to the login page


def test_download_waits_for_payment_then_delivers(client, granted, approver, clerk, applicant):
    bill = issue_bill(granted, actor=clerk)
    licence = issue_licence(granted, actor=approver)
    client.force_login(applicant)
    refused = client.get(f"/pay/licences/{licence.number}/download/")
    assert refused.status_code == 403 and bill.number in refused.content.decode()
    assert client.get("/api/v1/billing/licences").json()[0]["download_url"] is None
    pay(client, bill)
    response = client.get(f"/pay/licences/{licence.number}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert verify_document(licence.signed_document.verify_code, body).genuine
    licence.refresh_from_db()
    assert licence.delivered_at is not None
    assert AuditEntry.objects.filter(action="billing.licence.download").count() == 1
    assert client.get("/api/v1/billing/licences").json()[0]["download_url"].endswith("/download/")


def test_a_free_case_downloads_at_once(client, free_item, applicant, approver):
    licence = issue_licence(make_case(free_item, applicant, status=Status.GRANTED), actor=approver)
    client.force_login(applicant)
    assert client.get(f"/pay/licences/{licence.number}/").status_code == 200
    assert client.get(f"/pay/licences/{licence.number}/download/").status_code == 200


def test_a_bundle_case_waits_for_the_bundle_bill(client, bundle_case, approver, clerk, applicant):
    issue_bill(bundle_case, actor=clerk)
    child = bundle_case.applications.get(item_version__name="营业执照")  # free itself, but the bundle is not
    child.status = Status.GRANTED
    child.save(update_fields=["status"])
    licence = issue_licence(child, actor=approver)
    client.force_login(applicant)
    assert client.get(f"/pay/licences/{licence.number}/download/").status_code == 403


def test_post_delivery_needs_a_tracking_number(paid_item, applicant, approver, dept_head, clerk):
    case = make_case(paid_item, applicant, status=Status.GRANTED, delivery="post")
    licence = issue_licence(case, actor=approver)
    assert licence.delivery_method == DeliveryMethod.POST and licence.delivery_address
    with pytest.raises(BillingError, match="邮件单号"):
        check_deliver_licence(licence, actor=dept_head, method="post")
    delivered = check_deliver_licence(licence, actor=dept_head, method="post", tracking_number="SF1234567890")
    assert delivered.delivered_by == dept_head and delivered.tracking_number == "SF1234567890"
    assert AuditEntry.objects.filter(action="billing.licence.deliver").count() == 1
    with pytest.raises(BillingError, match="不能重复登记"):
        check_deliver_licence(licence, actor=dept_head, method="window")


def test_delivery_needs_the_grant_and_a_paid_bill(granted, approver, dept_head, clerk):
    from django.core.exceptions import PermissionDenied

    issue_bill(granted, actor=clerk)
    licence = issue_licence(granted, actor=approver)
    with pytest.raises(PermissionDenied):
        check_deliver_licence(licence, actor=approver, method="window")
    with pytest.raises(PermissionDenied):  # clerk of the approval bureau, not the market bureau
        check_deliver_licence(licence, actor=clerk, method="window")
    with pytest.raises(BillingError, match="尚未缴清"):
        check_deliver_licence(licence, actor=dept_head, method="window")
    assert License.objects.get(pk=licence.pk).delivered_at is None


def test_console_delivers_at_the_window(client, free_item, applicant, approver, dept_head):
    licence = issue_licence(make_case(free_item, applicant, status=Status.GRANTED, delivery="window"),
                            actor=approver)
    login_staff(client, dept_head)
    page = client.get("/console/billing/licences/?pending=1")
    assert page.status_code == 200 and licence.word_number in page.content.decode()
    bad = client.post(f"/console/billing/licences/{licence.pk}/deliver/", {"method": "post"}, follow=True)
    assert "邮件单号" in bad.content.decode() and License.objects.get(pk=licence.pk).delivered_at is None
    client.post(f"/console/billing/licences/{licence.pk}/deliver/", {"method": "window"})
    licence.refresh_from_db()
    assert licence.delivery_method == DeliveryMethod.WINDOW and licence.delivered_by == dept_head


def test_console_delivery_refused_out_of_scope(client, free_item, applicant, approver, other_clerk):
    licence = issue_licence(make_case(free_item, applicant, status=Status.GRANTED), actor=approver)
    login_staff(client, other_clerk)
    assert licence.word_number not in client.get("/console/billing/licences/").content.decode()
    assert client.post(f"/console/billing/licences/{licence.pk}/deliver/", {"method": "window"}).status_code == 403
    assert License.objects.get(pk=licence.pk).delivered_at is None


def test_delivery_over_the_api(client, paid_item, applicant, approver, dept_head, other_clerk):
    licence = issue_licence(make_case(paid_item, applicant, status=Status.GRANTED, delivery="post"), actor=approver)
    url, json_type = f"/api/v1/billing/staff/licences/{licence.number}/deliver", "application/json"
    login_staff(client, other_clerk)
    assert client.post(url, {"method": "window"}, content_type=json_type).status_code == 404  # not in scope
    client.logout()
    login_staff(client, dept_head)
    for body in ({"method": "post"}, {"method": "drone"}):
        bad = client.post(url, body, content_type=json_type)
        assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    assert License.objects.get(pk=licence.pk).delivered_at is None
    done = client.post(url, {"method": "post", "tracking_number": "SF1234567890"}, content_type=json_type)
    assert done.status_code == 200
    assert (done.json()["delivery_method"], done.json()["tracking_number"]) == ("post", "SF1234567890")
    assert done.json()["delivered_at"] is not None
    again = client.post(url, {"method": "window"}, content_type=json_type)
    assert again.status_code == 409 and "不能重复登记" in again.json()["message"]


def test_staff_lists_bills_and_licences_to_deliver_over_the_api(client, granted, free_item, applicant, approver,
                                                                 clerk, dept_head, other_clerk):
    bill = issue_bill(granted, actor=clerk)
    waiting = issue_licence(make_case(free_item, applicant, status=Status.GRANTED, delivery="window"),
                            actor=approver)
    login_staff(client, dept_head)
    bills = client.get("/api/v1/billing/staff/bills", {"status": "unpaid"}).json()
    assert [b["number"] for b in bills] == [bill.number]
    assert client.get("/api/v1/billing/staff/bills", {"status": "paid"}).json() == []
    assert client.get("/api/v1/billing/staff/bills", {"status": "lost"}).status_code == 400
    pending = client.get("/api/v1/billing/staff/licences", {"pending": "true"}).json()
    assert [lc["number"] for lc in pending] == [waiting.number]
    check_deliver_licence(waiting, actor=dept_head, method="window")
    assert client.get("/api/v1/billing/staff/licences", {"pending": "true"}).json() == []
    assert [lc["number"] for lc in client.get("/api/v1/billing/staff/licences").json()] == [waiting.number]
    client.logout()
    login_staff(client, other_clerk)  # another bureau's clerk: none of these are in scope
    assert client.get("/api/v1/billing/staff/licences").json() == []
    assert client.get("/api/v1/billing/staff/bills").json() == []
    client.logout()
    client.force_login(applicant)
    assert client.get("/api/v1/billing/staff/bills").status_code == 403
