"""Payment gateways behind one interface; the one in use is named by ``settings.ZT_PAYMENT_GATEWAY``
(a dotted path, default the demo ``LoggingGateway``).

A gateway starts a payment for a bill (returns where to send the payer and its own reference)
and verifies the callback it later sends (returns what was paid, or raises ``CallbackRejected``).
Refunds mirror payments: ``refund`` asks the gateway to return a payment's money the way it
came (returns the gateway's refund reference), and ``verify_refund_callback`` reads the
gateway's later confirmation. Settling the bill is the billing actions' job, not the gateway's.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengtong.lib.gm import sm3_hmac_hex

if TYPE_CHECKING:
    from zhengtong.services.billing.models import Bill, Payment, Refund

logger = logging.getLogger("zhengtong.billing")

SETTING = "ZT_PAYMENT_GATEWAY"
DEFAULT_GATEWAY = "zhengtong.services.billing.gateways.LoggingGateway"
CENT = Decimal("0.01")


class CallbackRejected(Exception):
    """A callback we will not act on; ``status`` is the HTTP answer, ``message`` is Chinese."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class PaymentStart:
    ref: str
    redirect_url: str


@dataclass(frozen=True)
class CallbackResult:
    bill_number: str
    ref: str
    amount: Decimal
    paid: bool
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RefundStart:
    ref: str


@dataclass(frozen=True)
class RefundCallbackResult:
    bill_number: str
    payment_ref: str
    ref: str
    amount: Decimal
    refunded: bool
    raw: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class PaymentGateway(Protocol):
    code: str
    label: str | Promise  # shown to the payer: translated when shown

    def create_payment(self, bill: Bill) -> PaymentStart:
        """Register a payment for ``bill`` at the gateway."""
        ...

    def verify_callback(self, data: Mapping[str, Any]) -> CallbackResult:
        """Check the callback's authenticity and read it, or raise ``CallbackRejected``."""
        ...

    def refund(self, payment: Payment, *, amount: Decimal, reason: str) -> RefundStart:
        """Ask the gateway to return ``amount`` of ``payment`` to the payer, the way it was paid."""
        ...

    def verify_refund_callback(self, data: Mapping[str, Any]) -> RefundCallbackResult:
        """Check a refund confirmation's authenticity and read it, or raise ``CallbackRejected``."""
        ...


def parse_amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise CallbackRejected(400, "bad_amount", _("金额格式不正确。")) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        raise CallbackRejected(400, "bad_amount", _("金额格式不正确。"))
    return amount


class LoggingGateway:
    """Demo gateway: no money moves. Its cashier page lets the payer "pay", which posts a
    callback signed with HMAC-SM3 under a key derived from SECRET_KEY; forged ones fail.
    Refunds are logged; the console's bill page plays the gateway and posts the signed
    refund confirmation (under its own domain, so a payment callback cannot pass for one)."""

    code = "logging"
    label = gettext_lazy("模拟支付（演示环境，不产生真实资金）")
    FIELDS = ("bill", "ref", "amount", "paid")
    REFUND_FIELDS = ("bill", "payment", "refund", "amount", "refunded")
    _DOMAIN = b"zhengtong.billing.logging-gateway.v1\n"
    _REFUND_DOMAIN = b"zhengtong.billing.logging-gateway.refund.v1\n"

    def create_payment(self, bill: Bill) -> PaymentStart:
        ref = f"LG{timezone.now():%Y%m%d%H%M%S}{secrets.token_hex(6).upper()}"
        logger.info("logging gateway: payment %s started for bill %s (%s 元)", ref, bill.number, bill.total)
        return PaymentStart(ref=ref, redirect_url=reverse("billing:cashier", args=[ref]))

    def _canonical(self, data: Mapping[str, Any]) -> bytes:
        return self._DOMAIN + "&".join(f"{k}={data[k]}" for k in self.FIELDS).encode()

    def sign(self, data: Mapping[str, Any]) -> str:
        return sm3_hmac_hex(settings.SECRET_KEY.encode(), self._canonical(data))

    def callback_fields(self, payment: Payment, *, paid: bool = True) -> dict[str, str]:
        """What the cashier page posts back: the payment's facts and their signature."""
        data = {"bill": payment.bill.number, "ref": payment.gateway_ref, "amount": f"{payment.amount:.2f}",
                "paid": "1" if paid else "0"}
        return {**data, "sign": self.sign(data)}

    def verify_callback(self, data: Mapping[str, Any]) -> CallbackResult:
        values = {k: str(data.get(k, "")).strip() for k in (*self.FIELDS, "sign")}
        if not all(values.values()):
            raise CallbackRejected(400, "incomplete", _("回调参数不完整。"))
        if not hmac.compare_digest(self.sign(values).encode(), values["sign"].lower().encode()):
            logger.warning("logging gateway: bad signature for ref %s", values["ref"][:64])
            raise CallbackRejected(400, "bad_signature", _("回调签名无效，已拒绝。"))
        if values["paid"] not in ("0", "1"):
            raise CallbackRejected(400, "bad_status", _("支付结果参数不正确。"))
        logger.info("logging gateway: callback for ref %s (%s 元)", values["ref"], values["amount"])
        return CallbackResult(bill_number=values["bill"], ref=values["ref"], amount=parse_amount(values["amount"]),
                              paid=values["paid"] == "1", raw={k: values[k] for k in (*self.FIELDS, "sign")})


    # --- refunds

    def refund(self, payment: Payment, *, amount: Decimal, reason: str) -> RefundStart:
        ref = f"LR{timezone.now():%Y%m%d%H%M%S}{secrets.token_hex(6).upper()}"
        logger.info("logging gateway: refund %s of %s 元 requested for payment %s (bill %s)", ref, amount,
                    payment.gateway_ref, payment.bill.number)
        return RefundStart(ref=ref)

    def sign_refund(self, data: Mapping[str, Any]) -> str:
        message = self._REFUND_DOMAIN + "&".join(f"{k}={data[k]}" for k in self.REFUND_FIELDS).encode()
        return sm3_hmac_hex(settings.SECRET_KEY.encode(), message)

    def refund_callback_fields(self, refund: Refund, *, refunded: bool = True) -> dict[str, str]:
        """What the demo gateway posts back once it has (or has not) returned the money."""
        data = {"bill": refund.bill.number, "payment": refund.payment.gateway_ref, "refund": refund.gateway_ref,
                "amount": f"{refund.amount:.2f}", "refunded": "1" if refunded else "0"}
        return {**data, "sign": self.sign_refund(data)}

    def verify_refund_callback(self, data: Mapping[str, Any]) -> RefundCallbackResult:
        values = {k: str(data.get(k, "")).strip() for k in (*self.REFUND_FIELDS, "sign")}
        if not all(values.values()):
            raise CallbackRejected(400, "incomplete", _("回调参数不完整。"))
        if not hmac.compare_digest(self.sign_refund(values).encode(), values["sign"].lower().encode()):
            logger.warning("logging gateway: bad refund signature for ref %s", values["refund"][:64])
            raise CallbackRejected(400, "bad_signature", _("回调签名无效，已拒绝。"))
        if values["refunded"] not in ("0", "1"):
            raise CallbackRejected(400, "bad_status", _("退款结果参数不正确。"))
        logger.info("logging gateway: refund callback for ref %s (%s 元)", values["refund"], values["amount"])
        return RefundCallbackResult(
            bill_number=values["bill"], payment_ref=values["payment"], ref=values["refund"],
            amount=parse_amount(values["amount"]), refunded=values["refunded"] == "1",
            raw={k: values[k] for k in (*self.REFUND_FIELDS, "sign")})


@lru_cache(maxsize=4)
def _load(path: str) -> PaymentGateway:
    gateway = import_string(path)()
    if not isinstance(gateway, PaymentGateway):
        raise TypeError(f"{path} does not implement zhengtong.services.billing.gateways.PaymentGateway")
    return gateway


def get_gateway() -> PaymentGateway:
    return _load(getattr(settings, SETTING, DEFAULT_GATEWAY))


def gateway_for_code(code: str) -> PaymentGateway | None:
    """The configured gateway if it answers to ``code`` (callbacks name their gateway in the URL)."""
    gateway = get_gateway()
    return gateway if gateway.code == code else None


def request_data(request) -> dict[str, Any]:
    """A callback's fields, from a JSON body or a form post."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict):
            raise CallbackRejected(400, "bad_json", _("回调内容不是有效的 JSON。"))
        return data
    return request.POST.dict()
