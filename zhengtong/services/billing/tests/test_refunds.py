from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.notify.models import Message
from zhengtong.services.applications.models import Application, Status
from zhengtong.services.billing.actions import (
    BillingError,
    check_start_payment,
    check_start_refund,
    issue_bill,
)
from zhengtong.services.billing.gateways import LoggingGateway
from zhengtong.services.billing.models import (
    Bill,
    BillStatus,
    Payment,
    PaymentStatus,
    Refund,
    RefundKind,
    RefundStatus,
)
from zhengtong.services.billing.tests.test_payments import signed
from zhengtong.testing import personas as P
from zhengtong.testing.personas import login_staff

pytestmark = pytest.mark.django_db
CALLBACK = "/pay/callback/logging/"
REFUND_CALLBACK = "/pay/refund-callback/logging/"


@pytest.fixture
def market_clerk(city):
    return P.staff("clerk.market", "吴静", city.dept("market"), roles=["clerk"])


@pytest.fixture
def bill(case, clerk):
    return issue_bill(case, actor=clerk)


@pytest.fixture
def paid(client, bill, applicant) -> Payment:
    start = check_start_payment(bill, actor=applicant)
    payment = Payment.objects.get(gateway_ref=start.ref)
    assert client.post(CALLBACK, signed(payment)).json()["code"] == "succeeded"
    payment.refresh_from_db()
    return payment


def close(bill: Bill, status: str = Status.WITHDRAWN) -> None:
    reason = "不符合许可条件" if status == Status.DENIED else ""
    Application.objects.filter(pk=bill.application_id).update(status=status, decision_reason=reason)


def confirmation(refund: Refund, /, **changes) -> dict[str, str]:
    """A refund confirmation as the logging gateway signs it, with ``changes`` signed too."""
    gateway = LoggingGateway()
    data = {k: v for k, v in gateway.refund_callback_fields(refund).items() if k != "sign"}
    data.update(changes)
    return {**data, "sign": gateway.sign_refund(data)}


def nothing_refunded(bill: Bill, refund: Refund) -> bool:
    bill.refresh_from_db()
    refund.refresh_from_db()
    return (bill.status == BillStatus.PAID and refund.status == RefundStatus.PENDING and refund.raw_callback is None
            and not AuditEntry.objects.filter(action__in=["billing.refund.settle", "billing.bill.refund"]).exists())


def test_a_withdrawn_case_is_refunded_in_full_once_the_gateway_confirms(client, bill, paid, dept_head, applicant):
    close(bill)
    refund = check_start_refund(bill, actor=dept_head, reason="申请人撤回申请")
    assert (refund.kind, refund.status, refund.amount) == (RefundKind.CASE_CLOSED, RefundStatus.PENDING, bill.total)
    assert refund.payment == paid and refund.gateway_ref.startswith("LR")
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.PAID  # until the gateway confirms
    assert AuditEntry.objects.get(action="billing.refund.start").actor_id == dept_head.pk
    assert Message.objects.filter(recipient=applicant, subject__contains="退费受理", channel="sms").exists()
    response = client.post(REFUND_CALLBACK, confirmation(refund))
    assert response.status_code == 200 and response.json()["code"] == "succeeded"
    bill.refresh_from_db()
    paid.refresh_from_db()
    refund.refresh_from_db()
    assert bill.status == BillStatus.REFUNDED and bill.refunded_at is not None and bill.paid_at is not None
    assert paid.status == PaymentStatus.REFUNDED and refund.status == RefundStatus.SUCCEEDED
    assert refund.raw_callback["refund"] == refund.gateway_ref
    assert set(Message.objects.filter(recipient=applicant, subject__contains="退费成功")
               .values_list("channel", flat=True)) == {"inbox", "sms"}
    replay = client.post(REFUND_CALLBACK, confirmation(refund))
    assert replay.status_code == 200 and replay.json()["code"] == "duplicate"
    assert AuditEntry.objects.filter(action="billing.refund.settle").count() == 1
    assert AuditEntry.objects.filter(action="billing.bill.refund").count() == 1
    with pytest.raises(BillingError, match="已退费"):
        check_start_refund(bill, actor=dept_head, reason="再退一次")


def test_a_denied_case_is_refunded_too(bill, paid, dept_head):
    close(bill, Status.DENIED)
    assert check_start_refund(bill, actor=dept_head, reason="不予许可").kind == RefundKind.CASE_CLOSED


def test_a_case_still_open_or_granted_is_not_refunded(bill, paid, dept_head):
    with pytest.raises(BillingError, match="不能全额退费") as exc:
        check_start_refund(bill, actor=dept_head, reason="x")
    assert exc.value.status == 409
    close(bill, Status.GRANTED)
    with pytest.raises(BillingError, match="不能全额退费"):
        check_start_refund(bill, actor=dept_head, reason="x")
    assert not Refund.objects.exists()


def test_an_unpaid_bill_is_not_refunded(bill, dept_head):
    close(bill)
    with pytest.raises(BillingError, match="待缴费") as exc:
        check_start_refund(bill, actor=dept_head, reason="申请人撤回")
    assert exc.value.status == 409 and exc.value.code == "not_paid" and not Refund.objects.exists()


def test_a_reason_is_required(bill, paid, dept_head):
    close(bill)
    with pytest.raises(BillingError, match="退费说明") as exc:
        check_start_refund(bill, actor=dept_head, reason="  ")
    assert exc.value.status == 400 and not Refund.objects.exists()


def test_only_refund_holders_in_scope_refund(bill, paid, approver, supervisor, clerk, market_clerk):
    close(bill)
    for user in (approver, supervisor, clerk):  # no refund grant; watcher; window of another bureau
        with pytest.raises(PermissionDenied):
            check_start_refund(bill, actor=user, reason="申请人撤回")
    assert not Refund.objects.exists()
    assert check_start_refund(bill, actor=market_clerk, reason="申请人撤回").requested_by == market_clerk


def test_a_duplicate_payment_is_returned_and_the_bill_stays_paid(client, bill, paid, dept_head, applicant):
    second = Payment.objects.create(bill=bill, gateway="logging", gateway_ref="LG-SECOND", amount=bill.total)
    assert client.post(CALLBACK, signed(second)).json()["code"] == "duplicate"
    second.refresh_from_db()
    with pytest.raises(BillingError, match="不是重复支付"):
        check_start_refund(bill, actor=dept_head, reason="x", payment=paid)
    refund = check_start_refund(bill, actor=dept_head, reason="重复支付", payment=second)
    assert refund.kind == RefundKind.DUPLICATE and refund.payment == second
    with pytest.raises(BillingError, match="不能重复退费"):
        check_start_refund(bill, actor=dept_head, reason="重复支付", payment=second)
    assert client.post(REFUND_CALLBACK, confirmation(refund)).json()["code"] == "succeeded"
    bill.refresh_from_db()
    second.refresh_from_db()
    paid.refresh_from_db()
    assert bill.status == BillStatus.PAID and bill.refunded_at is None
    assert second.status == PaymentStatus.REFUNDED and paid.status == PaymentStatus.SUCCEEDED


def test_a_failed_refund_leaves_the_bill_paid_and_may_be_retried(client, bill, paid, dept_head):
    close(bill)
    refund = check_start_refund(bill, actor=dept_head, reason="申请人撤回")
    response = client.post(REFUND_CALLBACK, confirmation(refund, refunded="0"))
    assert response.json()["code"] == "failed"
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.PAID
    assert Message.objects.filter(recipient=dept_head, subject__contains="退款失败").exists()
    retry = check_start_refund(bill, actor=dept_head, reason="重新退费")
    assert retry.pk != refund.pk and retry.status == RefundStatus.PENDING


@pytest.mark.parametrize(("changes", "status", "code"), [
    ({"bill": "JF20990101000001"}, 404, "unknown_bill"),
    ({"payment": "LG-NOT-OURS"}, 404, "unknown_payment"),
    ({"refund": "LR-NOT-OURS"}, 404, "unknown_refund"),
    ({"amount": "1.00"}, 400, "amount_mismatch"),
    ({"amount": "abc"}, 400, "bad_amount"),
    ({"refunded": "2"}, 400, "bad_status"),
])
def test_a_bad_refund_confirmation_is_refused_and_writes_nothing(client, bill, paid, dept_head, changes, status,
                                                                 code):
    close(bill)
    refund = check_start_refund(bill, actor=dept_head, reason="申请人撤回")
    response = client.post(REFUND_CALLBACK, confirmation(refund, **changes))
    assert response.status_code == status and response.json()["code"] == code
    assert nothing_refunded(bill, refund)


def test_a_confirmation_for_another_bills_payment_is_refused(client, bill, paid, dept_head, paid_item,
                                                             enterprise_user, clerk):
    from zhengtong.services.billing.tests.conftest import make_case

    other_bill = issue_bill(make_case(paid_item, enterprise_user), actor=clerk)
    other = Payment.objects.create(bill=other_bill, gateway="logging", gateway_ref="LG-OTHER", amount=bill.total)
    close(bill)
    refund = check_start_refund(bill, actor=dept_head, reason="申请人撤回")
    response = client.post(REFUND_CALLBACK, confirmation(refund, payment=other.gateway_ref))
    assert response.status_code == 400 and response.json()["code"] == "mismatch"
    assert nothing_refunded(bill, refund)


def test_forged_or_replayed_payment_signatures_do_not_confirm_a_refund(client, bill, paid, dept_head):
    close(bill)
    refund = check_start_refund(bill, actor=dept_head, reason="申请人撤回")
    forged = {**confirmation(refund), "sign": "0" * 64}
    assert client.post(REFUND_CALLBACK, forged).json()["code"] == "bad_signature"
    # The same facts signed as a payment callback (another signing domain) are no refund confirmation.
    gateway = LoggingGateway()
    fields = {k: v for k, v in gateway.refund_callback_fields(refund).items() if k != "sign"}
    as_payment = {**fields, "sign": gateway.sign({"bill": fields["bill"], "ref": fields["refund"],
                                                  "amount": fields["amount"], "paid": "1"})}
    assert client.post(REFUND_CALLBACK, as_payment).json()["code"] == "bad_signature"
    assert client.post("/pay/refund-callback/alipay/", confirmation(refund)).status_code == 404
    assert client.post(REFUND_CALLBACK, {"bill": bill.number}).json()["code"] == "incomplete"
    assert nothing_refunded(bill, refund)


# --- console and API ---------------------------------------------------------------------------


def test_console_refunds_a_withdrawn_case_and_the_demo_gateway_confirms(client, bill, paid, dept_head, applicant):
    login_staff(client, dept_head)
    page = client.get(f"/console/billing/bills/{bill.number}/").content.decode()
    assert 'data-testid="refund-full"' not in page  # the case is still open
    refused = client.post(f"/console/billing/bills/{bill.number}/refund/", {"reason": "x"})
    assert refused.status_code == 409 and "不能全额退费" in refused.content.decode()
    close(bill)
    page = client.get(f"/console/billing/bills/{bill.number}/").content.decode()
    assert 'data-testid="refund-full"' in page
    assert client.post(f"/console/billing/bills/{bill.number}/refund/", {"reason": ""}).status_code == 400
    done = client.post(f"/console/billing/bills/{bill.number}/refund/", {"reason": "申请人撤回申请"})
    assert done.status_code == 302
    refund = Refund.objects.get()
    page = client.get(f"/console/billing/bills/{bill.number}/").content.decode()
    assert refund.gateway_ref in page and 'data-testid="confirm-refund"' in page
    assert 'data-testid="refund-full"' not in page
    back = f"/console/billing/bills/{bill.number}/"
    confirmed = client.post(REFUND_CALLBACK, {**LoggingGateway().refund_callback_fields(refund), "next": back})
    assert confirmed.status_code == 302 and confirmed.url == back
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.REFUNDED
    client.logout()
    client.force_login(applicant)
    mine = client.get(f"/pay/bills/{bill.number}/").content.decode()
    assert "已退费" in mine and "退款成功" in mine


def test_console_returns_a_duplicate_payment(client, bill, paid, dept_head):
    second = Payment.objects.create(bill=bill, gateway="logging", gateway_ref="LG-SECOND", amount=bill.total)
    client.post(CALLBACK, signed(second))
    login_staff(client, dept_head)
    page = client.get(f"/console/billing/bills/{bill.number}/").content.decode()
    assert page.count('data-testid="refund-duplicate"') == 1
    assert client.post(f"/console/billing/bills/{bill.number}/refund/",
                       {"payment": "LG-NOPE", "reason": "重复支付"}).status_code == 404
    done = client.post(f"/console/billing/bills/{bill.number}/refund/", {"payment": "LG-SECOND", "reason": "重复支付"})
    assert done.status_code == 302 and Refund.objects.get().payment == second


def test_console_refund_needs_the_grant(client, bill, paid, approver):
    close(bill)
    login_staff(client, approver)
    page = client.get(f"/console/billing/bills/{bill.number}/").content.decode()
    assert 'data-testid="refund-full"' not in page
    assert client.post(f"/console/billing/bills/{bill.number}/refund/", {"reason": "x"}).status_code == 403
    assert not Refund.objects.exists()


def test_api_refunds(client, bill, paid, dept_head, other_clerk, approver, applicant):
    url = f"/api/v1/billing/staff/bills/{bill.number}/refund"

    def post(path, body):
        return client.post(path, json.dumps(body), content_type="application/json")

    login_staff(client, other_clerk)
    assert post(url, {"reason": "x"}).status_code == 404  # out of scope: no existence leak
    client.logout()
    login_staff(client, approver)
    assert post(url, {"reason": "x"}).status_code == 403
    client.logout()
    login_staff(client, dept_head)
    assert post("/api/v1/billing/staff/bills/JF20990101000001/refund", {"reason": "x"}).status_code == 404
    assert post(url, {"reason": "x", "payment_ref": "LG-NOPE"}).status_code == 404
    still_open = post(url, {"reason": "x"})
    assert still_open.status_code == 409 and still_open.json()["code"] == "case_open"
    close(bill)
    assert post(url, {"reason": " "}).status_code == 400
    made = post(url, {"reason": "申请人撤回申请"})
    assert made.status_code == 201 and made.json()["status"] == "pending" and made.json()["kind"] == "case_closed"
    assert post(url, {"reason": "again"}).json()["code"] == "already_refunding"
    refund = Refund.objects.get()
    client.logout()
    confirmed = post("/api/v1/billing/refund-callback/logging", confirmation(refund))
    assert confirmed.status_code == 200 and confirmed.json()["code"] == "succeeded"
    assert post("/api/v1/billing/refund-callback/logging", confirmation(refund)).json()["code"] == "duplicate"
    unknown = post("/api/v1/billing/refund-callback/logging", confirmation(refund, refund="LR-NOPE"))
    assert unknown.status_code == 404
    client.force_login(applicant)
    detail = client.get(f"/api/v1/billing/bills/{bill.number}").json()
    assert detail["status"] == "refunded" and detail["refunds"][0]["status"] == "succeeded"


def test_api_refunding_an_unpaid_bill_is_409(client, bill, dept_head):
    close(bill)
    login_staff(client, dept_head)
    response = client.post(f"/api/v1/billing/staff/bills/{bill.number}/refund", json.dumps({"reason": "x"}),
                           content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "not_paid"


def test_a_bundle_bill_is_refunded_only_when_no_member_was_granted(client, bundle_case, clerk, applicant, city):
    head = P.staff("head.zhou", "周敏", city.dept("approval"), roles=["dept_head"])  # the lead department
    bill = issue_bill(bundle_case, actor=clerk)
    start = check_start_payment(bill, actor=applicant)
    client.post(CALLBACK, signed(Payment.objects.get(gateway_ref=start.ref)))
    members = bundle_case.applications.order_by("id")
    members.update(status=Status.WITHDRAWN)
    Application.objects.filter(pk=members[0].pk).update(status=Status.GRANTED)
    with pytest.raises(BillingError, match="不能全额退费"):
        check_start_refund(bill, actor=head, reason="x")
    Application.objects.filter(pk=members[0].pk).update(status=Status.DENIED, decision_reason="不符合条件")
    assert check_start_refund(bill, actor=head, reason="一件事未获许可").amount == bill.total
