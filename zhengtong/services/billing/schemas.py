from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema


class BillLineOut(Schema):
    item_name: str
    fee_name: str
    amount: Decimal
    basis: str


class BillOut(Schema):
    number: str
    case_number: str
    department: str
    payer_name: str
    total: Decimal
    status: str
    status_label: str
    created_at: datetime
    paid_at: datetime | None = None


class RefundOut(Schema):
    ref: str
    bill_number: str
    payment_ref: str
    kind: str
    kind_label: str
    amount: Decimal
    status: str
    status_label: str
    reason: str
    requested_at: datetime
    settled_at: datetime | None = None


class BillDetailOut(BillOut):
    lines: list[BillLineOut]
    pay_url: str
    refunded_at: datetime | None = None
    refunds: list[RefundOut] = []


class RefundIn(Schema):
    reason: str
    payment_ref: str = ""  # a duplicate payment to return; empty: the whole bill


class RevokeIn(Schema):
    reason: str
    basis: str


class DeliverIn(Schema):
    method: str  # window | post
    tracking_number: str = ""  # required for post


class PaymentStartOut(Schema):
    ref: str
    redirect_url: str


class CallbackOut(Schema):
    code: str
    message: str


class LicenceOut(Schema):
    number: str
    word_number: str
    title: str
    department: str
    holder_name: str
    holder_id: str
    issued_at: datetime
    valid_until: date | None = None
    status: str
    verify_code: str
    verify_url: str
    download_url: str | None = None
    delivery_method: str
    delivered_at: datetime | None = None
    tracking_number: str = ""
    revoked_at: datetime | None = None
    revoke_reason: str = ""
    revoke_basis: str = ""
