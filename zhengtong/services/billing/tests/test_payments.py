from __future__ import annotations

import json

import pytest
from django.test import override_settings

from zhengtong.core.audit.models import AuditEntry
from zhengtong.services.billing.actions import BillingError, check_start_payment, issue_bill
from zhengtong.services.billing.gateways import LoggingGateway, get_gateway
from zhengtong.services.billing.models import Bill, BillStatus, Payment, PaymentStatus

CALLBACK = "/pay/callback/logging/"


@pytest.fixture
def bill(case, clerk):
    return issue_bill(case, actor=clerk)


@pytest.fixture
def payment(bill, applicant):
    start = check_start_payment(bill, actor=applicant)
    return Payment.objects.get(gateway_ref=start.ref)


def signed(payment, **changes) -> dict[str, str]:
    """A callback as the logging gateway signs it, with ``changes`` signed too."""
    gateway = LoggingGateway()
    data = {k: v for k, v in gateway.callback_fields(payment).items() if k != "sign"}
    data.update(changes)
    return {**data, "sign": gateway.sign(data)}


def nothing_settled(bill, payment) -> bool:
    bill.refresh_from_db()
    payment.refresh_from_db()
    return (bill.status == BillStatus.UNPAID and payment.status == PaymentStatus.PENDING
            and payment.raw_callback is None and not AuditEntry.objects.filter(action__in=[
                "billing.payment.settle", "billing.bill.pay"]).exists())


def test_the_payer_pays_through_the_demo_cashier(client, applicant, bill):
    client.force_login(applicant)
    page = client.get(f"/pay/bills/{bill.number}/")
    assert page.status_code == 200 and "35.50" in page.content.decode() and "支付" in page.content.decode()
    started = client.post(f"/pay/bills/{bill.number}/pay/")
    assert started.status_code == 302 and started.url.startswith("/pay/cashier/LG")
    cashier = client.get(started.url)
    assert cashier.status_code == 200
    payment = Payment.objects.get(bill=bill)
    form = {**LoggingGateway().callback_fields(payment), "next": f"/pay/bills/{bill.number}/"}
    assert form["sign"] in cashier.content.decode()
    done = client.post(CALLBACK, form)
    assert done.status_code == 302 and done.url == f"/pay/bills/{bill.number}/"
    bill.refresh_from_db()
    payment.refresh_from_db()
    assert bill.status == BillStatus.PAID and bill.paid_at is not None
    assert payment.status == PaymentStatus.SUCCEEDED and payment.raw_callback["ref"] == payment.gateway_ref
    assert AuditEntry.objects.filter(action="billing.bill.pay", object_id=str(bill.pk)).count() == 1


def test_the_callback_answers_json_to_a_gateway(client, bill, payment):
    response = client.post(CALLBACK, json.dumps(signed(payment)), content_type="application/json")
    assert response.status_code == 200 and response.json()["code"] == "succeeded"
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.PAID


def test_a_callback_for_an_unknown_bill_is_404(client, bill, payment):
    response = client.post(CALLBACK, signed(payment, bill="JF20990101000001"))
    assert response.status_code == 404 and "收费单" in response.json()["message"] and "不存在" in response.json()["message"]
    assert nothing_settled(bill, payment)


def test_a_callback_for_an_unknown_payment_is_404(client, bill, payment):
    response = client.post(CALLBACK, signed(payment, ref="LG-NOT-OURS"))
    assert response.status_code == 404 and "支付流水" in response.json()["message"]
    assert nothing_settled(bill, payment)


def test_a_forged_signature_is_400(client, bill, payment):
    data = signed(payment)
    data["sign"] = "0" * 64
    response = client.post(CALLBACK, data)
    assert response.status_code == 400 and response.json()["message"] == "回调签名无效，已拒绝。"
    assert nothing_settled(bill, payment)


def test_a_signature_made_with_another_key_is_400(client, bill, payment):
    with override_settings(SECRET_KEY="an-attacker-guess-" + "x" * 40):
        data = signed(payment)
    assert client.post(CALLBACK, data).status_code == 400
    assert nothing_settled(bill, payment)


def test_tampering_with_a_signed_field_is_400(client, bill, payment):
    data = signed(payment)
    data["amount"] = "0.01"
    assert client.post(CALLBACK, data).json()["code"] == "bad_signature"
    assert nothing_settled(bill, payment)


def test_a_partial_amount_is_rejected_even_when_signed(client, bill, payment):
    response = client.post(CALLBACK, signed(payment, amount="10.00"))
    assert response.status_code == 400 and "不符" in response.json()["message"]
    assert nothing_settled(bill, payment)


@pytest.mark.parametrize("amount", ["abc", "-35.50", "35.505", "NaN"])
def test_a_malformed_amount_is_400(client, bill, payment, amount):
    response = client.post(CALLBACK, signed(payment, amount=amount))
    assert response.status_code == 400 and response.json()["message"] == "金额格式不正确。"
    assert nothing_settled(bill, payment)


def test_missing_fields_and_bad_json_are_400(client, bill, payment):
    assert client.post(CALLBACK, {"bill": bill.number}).json()["message"] == "回调参数不完整。"
    bad = client.post(CALLBACK, "{not json", content_type="application/json")
    assert bad.status_code == 400 and "JSON" in bad.json()["message"]
    assert nothing_settled(bill, payment)


def test_an_unknown_gateway_is_404(client, bill, payment):
    response = client.post("/pay/callback/alipay/", signed(payment))
    assert response.status_code == 404 and response.json()["message"] == "未知的支付渠道。"
    assert nothing_settled(bill, payment)


def test_a_replayed_callback_is_recorded_once(client, bill, payment):
    data = signed(payment)
    first = client.post(CALLBACK, data)
    second = client.post(CALLBACK, data)
    assert first.json()["code"] == "succeeded" and second.status_code == 200
    assert second.json()["code"] == "duplicate"
    assert AuditEntry.objects.filter(action="billing.payment.settle").count() == 1
    assert AuditEntry.objects.filter(action="billing.bill.pay").count() == 1
    assert Payment.objects.filter(bill=bill).count() == 1


def test_a_second_payment_for_a_paid_bill_is_marked_for_refund(client, bill, payment, applicant):
    other = Payment.objects.create(bill=bill, gateway="logging", gateway_ref="LG-SECOND", amount=bill.total)
    client.post(CALLBACK, signed(payment))
    response = client.post(CALLBACK, signed(other))
    assert response.json()["code"] == "duplicate" and "退回" in response.json()["message"]
    assert Payment.objects.get(pk=other.pk).status == PaymentStatus.DUPLICATE


def test_a_failed_payment_leaves_the_bill_unpaid(client, bill, payment):
    response = client.post(CALLBACK, signed(payment, paid="0"))
    assert response.json()["code"] == "failed"
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.UNPAID
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.FAILED


def test_a_next_url_off_site_is_not_followed(client, bill, payment):
    response = client.post(CALLBACK, {**signed(payment), "next": "https://evil.example/"})
    assert response.status_code == 200 and response.json()["code"] == "succeeded"


def test_only_the_payer_sees_and_pays_the_bill(client, bill, enterprise_user):
    client.force_login(enterprise_user)
    assert client.get(f"/pay/bills/{bill.number}/").status_code == 404
    assert client.post(f"/pay/bills/{bill.number}/pay/").status_code == 404
    assert not Payment.objects.exists()
    with pytest.raises(BillingError):
        check_start_payment(bill, actor=enterprise_user)


def test_the_cashier_belongs_to_the_payer(client, payment, enterprise_user):
    client.force_login(enterprise_user)
    assert client.get(f"/pay/cashier/{payment.gateway_ref}/").status_code == 404


def test_a_paid_bill_cannot_be_paid_again(client, applicant, bill, payment):
    client.post(CALLBACK, signed(payment))
    client.force_login(applicant)
    response = client.post(f"/pay/bills/{bill.number}/pay/", follow=True)
    assert "无需支付" in response.content.decode()
    assert Payment.objects.filter(bill=bill).count() == 1


def test_the_gateway_is_chosen_by_setting(settings):
    assert get_gateway().code == "logging"
    settings.ZT_PAYMENT_GATEWAY = "zhengtong.services.billing.models.Bill"
    with pytest.raises(TypeError):
        get_gateway()


# --- API --------------------------------------------------------------------------------------


def test_api_lists_my_bills_and_details(client, applicant, bill, enterprise_user):
    client.force_login(applicant)
    listed = client.get("/api/v1/billing/bills").json()
    assert [b["number"] for b in listed] == [bill.number] and listed[0]["total"] in ("35.50", 35.5)
    detail = client.get(f"/api/v1/billing/bills/{bill.number}").json()
    assert len(detail["lines"]) == 2 and detail["status"] == "unpaid"
    client.force_login(enterprise_user)
    assert client.get("/api/v1/billing/bills").json() == []
    missing = client.get(f"/api/v1/billing/bills/{bill.number}")
    assert missing.status_code == 404 and missing.json()["message"] == "收费单不存在"


def test_api_labels_a_bill_in_the_readers_language(client, applicant, bill):
    client.force_login(applicant)
    assert client.get(f"/api/v1/billing/bills/{bill.number}").json()["status_label"] == "待缴费"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    detail = client.get(f"/api/v1/billing/bills/{bill.number}")
    assert detail.status_code == 200, detail.content
    assert (detail.json()["status"], detail.json()["status_label"]) == ("unpaid", "Unpaid")


def test_api_callback_with_start(client, applicant, bill):
    client.force_login(applicant)
    start = client.post(f"/api/v1/billing/bills/{bill.number}/pay")
    assert start.status_code == 201
    payment = Payment.objects.get(gateway_ref=start.json()["ref"])
    client.logout()
    forged = client.post("/api/v1/billing/callback/logging", {**signed(payment), "sign": "ab" * 32})
    assert forged.status_code == 400 and forged.json()["code"] == "bad_signature"
    unknown = client.post("/api/v1/billing/callback/logging", signed(payment, bill="NOPE"))
    assert unknown.status_code == 404
    ok = client.post("/api/v1/billing/callback/logging", json.dumps(signed(payment)),
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["code"] == "succeeded"
    assert client.post("/api/v1/billing/callback/logging", signed(payment)).json()["code"] == "duplicate"


def test_staff_see_bills_in_their_scope_only(client, bill, approver, other_clerk):
    from zhengtong.testing.personas import login_staff

    login_staff(client, approver)  # market department: the case's department
    page = client.get("/console/billing/bills/")
    assert page.status_code == 200 and bill.number in page.content.decode()
    assert client.get(f"/console/billing/bills/{bill.number}/").status_code == 200
    client.logout()
    login_staff(client, other_clerk)  # county approval bureau
    page = client.get("/console/billing/bills/")
    assert page.status_code == 200 and bill.number not in page.content.decode()
    assert client.get(f"/console/billing/bills/{bill.number}/").status_code == 404


def test_console_bills_refused_without_the_action(client, sysadmin):
    from zhengtong.testing.personas import login_staff

    login_staff(client, sysadmin)
    assert client.get("/console/billing/bills/").status_code == 403
