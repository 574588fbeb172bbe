"""Billing over the API (mounted at /api/v1/billing/): my bills, a bill, starting a payment,
the gateway's payment and refund callbacks, my licences; for staff, refunds and licence revocation."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status

from zhengtong.core.api.errors import ErrorOut
from zhengtong.core.seals.qr import verify_url
from zhengtong.services.billing import queries
from zhengtong.services.billing.actions import (
    BillingError,
    check_deliver_licence,
    check_revoke_licence,
    check_start_payment,
    check_start_refund,
    settle_callback,
    settle_refund_callback,
    unpaid_bill_for,
)
from zhengtong.services.billing.gateways import CallbackRejected, request_data
from zhengtong.services.billing.models import Bill, BillStatus, License, Refund
from zhengtong.services.billing.permissions import BILL_REFUND, LICENCE_DELIVER, LICENCE_REVOKE
from zhengtong.services.billing.schemas import (
    BillDetailOut,
    BillOut,
    CallbackOut,
    DeliverIn,
    LicenceOut,
    PaymentStartOut,
    RefundIn,
    RefundOut,
    RevokeIn,
)

router = Router(tags=["billing"])


def _bill_out(bill: Bill) -> dict[str, Any]:
    return {"number": bill.number, "case_number": bill.case_number, "department": bill.department.name,
            "payer_name": bill.payer_name, "total": bill.total, "status": bill.status,
            "status_label": bill.get_status_display(), "created_at": bill.created_at, "paid_at": bill.paid_at}


@router.get("/bills", response=list[BillOut], summary="我的收费单")
def my_bills(request: HttpRequest):
    return [_bill_out(b) for b in queries.my_bills(request.user)[:200]]


def _refund_out(refund: Refund) -> dict[str, Any]:
    return {"ref": refund.gateway_ref, "bill_number": refund.bill.number, "payment_ref": refund.payment.gateway_ref,
            "kind": refund.kind, "kind_label": refund.get_kind_display(), "amount": refund.amount,
            "status": refund.status, "status_label": refund.get_status_display(), "reason": refund.reason,
            "requested_at": refund.requested_at, "settled_at": refund.settled_at}


@router.get("/bills/{number}", response={200: BillDetailOut, 404: ErrorOut}, summary="收费单详情")
def bill_detail(request: HttpRequest, number: str):
    bill = queries.access_bill(request.user, number)
    lines = [{"item_name": ln.item_name, "fee_name": ln.fee_name, "amount": ln.amount, "basis": ln.basis}
             for ln in bill.lines.all()]
    refunds = [_refund_out(r) for r in bill.refunds.select_related("bill", "payment")]
    return {**_bill_out(bill), "lines": lines, "pay_url": reverse("billing:bill", args=[bill.number]),
            "refunded_at": bill.refunded_at, "refunds": refunds}


@router.post("/bills/{number}/pay", response={201: PaymentStartOut, 404: ErrorOut, 409: ErrorOut},
             summary="发起支付")
def start_payment(request: HttpRequest, number: str):
    bill = queries.access_bill_as_payer(request.user, number)
    try:
        start = check_start_payment(bill, actor=request.user)
    except BillingError as exc:
        return Status(409, {"code": "not_payable", "message": str(exc)})
    return Status(201, {"ref": start.ref, "redirect_url": start.redirect_url})



@router.post("/callback/{gateway}", auth=None, response={200: CallbackOut, 400: ErrorOut, 404: ErrorOut},
             summary="支付渠道回调（以签名认证）")
def callback(request: HttpRequest, gateway: str):
    try:
        return Status(200, settle_callback(gateway, request_data(request)))
    except CallbackRejected as exc:
        return Status(exc.status, {"code": exc.code, "message": exc.message})


@router.post("/refund-callback/{gateway}", auth=None, response={200: CallbackOut, 400: ErrorOut, 404: ErrorOut},
             summary="支付渠道退款结果回调（以签名认证）")
def refund_callback(request: HttpRequest, gateway: str):
    try:
        return Status(200, settle_refund_callback(gateway, request_data(request)))
    except CallbackRejected as exc:
        return Status(exc.status, {"code": exc.code, "message": exc.message})


STAFF_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@router.post("/staff/bills/{number}/refund", response={201: RefundOut, **STAFF_ERRORS},
             summary="退费（全额退费或退回重复支付，原路退回）")
def start_refund(request: HttpRequest, number: str, payload: RefundIn):
    bill = queries.access_bill_for_staff(request.user, number, BILL_REFUND)
    payment = None
    if payload.payment_ref.strip():
        payment = bill.payments.filter(gateway_ref=payload.payment_ref.strip()).first()
        if payment is None:
            raise Http404(_("支付记录不存在"))
    try:
        refund = check_start_refund(bill, actor=request.user, reason=payload.reason, payment=payment)
    except BillingError as exc:
        return Status(exc.status, {"code": exc.code, "message": exc.message})
    return Status(201, _refund_out(refund))


def _licence_out(licence: License) -> dict[str, Any]:
    downloadable = unpaid_bill_for(licence.application) is None
    return {"number": licence.number, "word_number": licence.word_number, "title": licence.title,
            "department": licence.department.name, "holder_name": licence.holder_name,
            "holder_id": licence.masked_holder_id, "issued_at": licence.issued_at, "valid_until": licence.valid_until,
            "status": licence.status, "verify_code": licence.signed_document.verify_code,
            "verify_url": verify_url(licence.signed_document.verify_code),
            "download_url": reverse("billing:download", args=[licence.number]) if downloadable else None,
            "delivery_method": licence.delivery_method, "delivered_at": licence.delivered_at,
            "tracking_number": licence.tracking_number,
            "revoked_at": licence.revoked_at, "revoke_reason": licence.revoke_reason,
            "revoke_basis": licence.revoke_basis}


@router.get("/licences", response=list[LicenceOut], summary="我的电子证照")
def my_licences(request: HttpRequest):
    return [_licence_out(lc) for lc in queries.my_licences(request.user).select_related("application")[:200]]


@router.post("/staff/licences/{number}/revoke", response={200: LicenceOut, **STAFF_ERRORS},
             summary="注销/撤销电子证照（须填写理由和法律依据）")
def revoke_licence(request: HttpRequest, number: str, payload: RevokeIn):
    licence = queries.access_licence_in_scope(request.user, number=number, action=LICENCE_REVOKE)
    try:
        licence = check_revoke_licence(licence, reason=payload.reason, basis=payload.basis, actor=request.user)
    except BillingError as exc:
        return Status(exc.status, {"code": exc.code, "message": exc.message})
    return Status(200, _licence_out(licence))


@router.post("/staff/licences/{number}/deliver", response={200: LicenceOut, **STAFF_ERRORS},
             summary="登记证照送达（窗口领取，或邮寄并填写邮件单号）")
def deliver_licence(request: HttpRequest, number: str, payload: DeliverIn):
    licence = queries.access_licence_in_scope(request.user, number=number, action=LICENCE_DELIVER)
    try:
        licence = check_deliver_licence(licence, actor=request.user, method=payload.method,
                                        tracking_number=payload.tracking_number)
    except BillingError as exc:
        return Status(exc.status, {"code": exc.code, "message": exc.message})
    return Status(200, _licence_out(licence))


@router.get("/staff/bills", response={200: list[BillOut], **STAFF_ERRORS},
            summary="收费单（工作人员，本人范围内；可按状态筛选、按单号/缴费人/办件号检索）")
def staff_bills(request: HttpRequest, status: str = "", q: str = ""):
    if status and status not in BillStatus.values:
        return Status(400, {"code": "invalid", "message": _("未知的收费单状态：%(s)s") % {"s": status}})
    rows = queries.bills_for_console(request.user, status=status, q=q.strip()[:40])
    return Status(200, [_bill_out(b) for b in rows[:200]])


@router.get("/staff/licences", response={200: list[LicenceOut], **STAFF_ERRORS},
            summary="电子证照（工作人员，本人范围内；pending=true 仅待送达）")
def staff_licences(request: HttpRequest, pending: bool = False, q: str = ""):
    rows = queries.licences_for_console(request.user, pending=pending, q=q.strip()[:40])
    return Status(200, [_licence_out(lc) for lc in rows[:200]])
