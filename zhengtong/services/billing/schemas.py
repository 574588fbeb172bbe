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


class BillDetailOut(BillOut):
    lines: list[BillLineOut]
    pay_url: str


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
