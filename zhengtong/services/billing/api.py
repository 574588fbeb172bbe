"""Billing over the API (mounted at /api/v1/billing/): my bills, a bill, starting a payment,
the gateway callback, my licences."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Status

from zhengtong.core.api.errors import ErrorOut
from zhengtong.core.seals.qr import verify_url
from zhengtong.services.billing import queries
from zhengtong.services.billing.actions import (
    BillingError,
    check_start_payment,
    settle_callback,
    unpaid_bill_for,
)
from zhengtong.services.billing.gateways import CallbackRejected, request_data
from zhengtong.services.billing.models import Bill, License
from zhengtong.services.billing.schemas import (
    BillDetailOut,
    BillOut,
    CallbackOut,
    LicenceOut,
    PaymentStartOut,
)

router = Router(tags=["billing"])


def _bill_out(bill: Bill) -> dict[str, Any]:
    return {"number": bill.number, "case_number": bill.case_number, "department": bill.department.name,
            "payer_name": bill.payer_name, "total": bill.total, "status": bill.status,
            "status_label": bill.get_status_display(), "created_at": bill.created_at, "paid_at": bill.paid_at}


@router.get("/bills", response=list[BillOut], summary="我的收费单")
def my_bills(request: HttpRequest):
    return [_bill_out(b) for b in queries.my_bills(request.user)[:200]]


@router.get("/bills/{number}", response={200: BillDetailOut, 404: ErrorOut}, summary="收费单详情")
def bill_detail(request: HttpRequest, number: str):
    bill = queries.access_bill(request.user, number)
    lines = [{"item_name": ln.item_name, "fee_name": ln.fee_name, "amount": ln.amount, "basis": ln.basis}
             for ln in bill.lines.all()]
    return {**_bill_out(bill), "lines": lines, "pay_url": reverse("billing:bill", args=[bill.number])}


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


def _licence_out(licence: License) -> dict[str, Any]:
    downloadable = unpaid_bill_for(licence.application) is None
    return {"number": licence.number, "word_number": licence.word_number, "title": licence.title,
            "department": licence.department.name, "holder_name": licence.holder_name,
            "holder_id": licence.masked_holder_id, "issued_at": licence.issued_at, "valid_until": licence.valid_until,
            "status": licence.status, "verify_code": licence.signed_document.verify_code,
            "verify_url": verify_url(licence.signed_document.verify_code),
            "download_url": reverse("billing:download", args=[licence.number]) if downloadable else None,
            "delivery_method": licence.delivery_method, "delivered_at": licence.delivered_at}


@router.get("/licences", response=list[LicenceOut], summary="我的电子证照")
def my_licences(request: HttpRequest):
    return [_licence_out(lc) for lc in queries.my_licences(request.user).select_related("application")[:200]]
