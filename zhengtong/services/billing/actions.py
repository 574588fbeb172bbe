"""Writes of billing: issue a case's one bill, start and settle payments, issue and deliver
the sealed e-licence.

Contract with the applications app, which calls these from its own (already
permission-checked) actions:

* ``issue_bill(target, *, actor)`` on acceptance — ``target`` is an Application or a
  BundleApplication (a case that belongs to a bundle is billed on its bundle); one bill
  listing every fee of every item, ``None`` when all is free; idempotent per target.
* ``issue_licence(application, *, actor)`` when a case is granted; idempotent.
* ``cancel_bill(target, *, actor, reason)`` when a case is withdrawn or refused before payment.

Staff actions of their own: refunds (``check_start_refund`` and the gateway's confirmation,
``settle_refund_callback``) and licence revocation (``check_revoke_licence``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.core.audit.log import record
from zhengtong.core.db.compiled import CompiledQuery
from zhengtong.core.db.counters import increment
from zhengtong.core.db.inserts import insert
from zhengtong.core.db.nesting import joinable
from zhengtong.core.notify.actions import send
from zhengtong.core.permissions.checks import require
from zhengtong.core.seals.actions import SealError, revoke_as_system
from zhengtong.services.applications.models import Application, BundleApplication, Status
from zhengtong.services.applications.timeline import event as application_event
from zhengtong.services.billing.gateways import (
    CENT,
    CallbackRejected,
    PaymentStart,
    gateway_for_code,
    get_gateway,
)
from zhengtong.services.billing.licences import build_sheet, licence_numbers
from zhengtong.services.billing.models import (
    Bill,
    BillLine,
    BillStatus,
    Counter,
    DeliveryMethod,
    License,
    LicenseStatus,
    Payment,
    PaymentStatus,
    Refund,
    RefundKind,
    RefundStatus,
)
from zhengtong.services.billing.pdf import render_licence_pdf
from zhengtong.services.billing.permissions import BILL_REFUND, LICENCE_REVOKE
from zhengtong.services.billing.sealing import seal_pdf

CHANNELS = ("inbox", "sms", "email")
INBOX_SMS = ("inbox", "sms")
NOT_BILLABLE = (Status.DRAFT, Status.REFUSED, Status.WITHDRAWN, Status.DENIED)


class BillingError(Exception):
    """A refused billing or licence operation, with a Chinese message for the user and the
    HTTP status that fits it (400 bad input, 409 wrong state — the default)."""

    def __init__(self, message: str, *, status: int = 409, code: str = "conflict") -> None:
        super().__init__(message)
        self.message, self.status, self.code = message, status, code


def _invalid(message: str) -> BillingError:
    return BillingError(message, status=400, code="invalid")


def next_value(key: str) -> int:
    """Increment a counter; its row stays locked to the caller's commit."""
    return increment(Counter, key)


# --- bills -----------------------------------------------------------------------------------


def _target_filter(target: Application | BundleApplication) -> dict[str, Any]:
    if isinstance(target, BundleApplication):
        return {"bundle_application": target}
    return {"application": target}


def _fee_amount(fee: dict[str, Any], item_name: str) -> Decimal:
    try:
        amount = Decimal(str(fee.get("amount", "0")).strip() or "0")
    except InvalidOperation:
        raise BillingError(_("事项“%(item)s”的收费标准金额不正确：%(amount)s")
                           % {"item": item_name, "amount": fee.get("amount")}) from None
    if not amount.is_finite() or amount < 0:
        raise BillingError(_("事项“%(item)s”的收费标准金额不正确：%(amount)s")
                           % {"item": item_name, "amount": fee.get("amount")})
    return amount.quantize(CENT)


def bill_lines(applications: list[Application]) -> list[BillLine]:
    """One unsaved line per non-zero fee of every case's item version."""
    lines = []
    for application in applications:
        version = application.item_version
        for fee in version.fees or []:
            amount = _fee_amount(fee, version.name)
            if amount > 0:
                lines.append(BillLine(item_name=version.name[:200], fee_name=str(fee.get("name", ""))[:100]
                                      or _("费用"), amount=amount, basis=str(fee.get("basis", ""))))
    return lines


def _cases_of(target: Application | BundleApplication) -> list[Application]:
    if isinstance(target, BundleApplication):
        return list(target.applications.select_related("item_version").order_by("id"))
    return [target]


def _bill_header(target: Application | BundleApplication, cases: list[Application]) -> dict[str, Any]:
    if isinstance(target, BundleApplication):
        department = target.bundle.lead_department
        payer_name = cases[0].applicant_name if cases else str(target.applicant)
    else:
        department, payer_name = target.department, target.applicant_name
    return {"department": department, "payer": target.applicant, "payer_name": payer_name[:150]}


_BILL_OF_APPLICATION = CompiledQuery(lambda pk: Bill.objects.filter(application=pk).exclude(
    status=BillStatus.CANCELLED).order_by("-created_at", "-id")[:1])
_BILL_OF_BUNDLE = CompiledQuery(lambda pk: Bill.objects.filter(bundle_application=pk).exclude(
    status=BillStatus.CANCELLED).order_by("-created_at", "-id")[:1])


@joinable
def issue_bill(target: Application | BundleApplication, *, actor) -> Bill | None:
    """The one bill for a case or bundle (一单式收费); None when every item is free. Idempotent."""
    if isinstance(target, Application) and target.bundle_application_id:
        target = target.bundle_application
    of = _BILL_OF_BUNDLE if isinstance(target, BundleApplication) else _BILL_OF_APPLICATION
    existing = of.first(target.pk)
    if existing is not None:
        return existing
    if target.status in NOT_BILLABLE:
        raise BillingError(_("办件 %(number)s 当前状态为“%(status)s”，不能开具收费单。")
                           % {"number": target.number, "status": target.get_status_display()})
    cases = _cases_of(target)
    lines = bill_lines(cases)
    if not lines:
        return None
    try:
        with transaction.atomic():
            bill = _create_bill(target, cases, lines, actor=actor)
    except IntegrityError:  # a concurrent call issued it first
        return Bill.objects.filter(**_target_filter(target)).exclude(status=BillStatus.CANCELLED).get()
    return bill


def _create_bill(target, cases: list[Application], lines: list[BillLine], *, actor) -> Bill:
    today = timezone.localdate()
    number = f"JF{today:%Y%m%d}{next_value(f'B-{today:%Y%m%d}'):06d}"
    total = sum((line.amount for line in lines), Decimal("0"))
    bill = Bill.objects.create(number=number, total=total, **_target_filter(target), **_bill_header(target, cases))
    for line in lines:
        line.bill = bill
    BillLine.objects.bulk_create(lines)
    record("billing.bill.issue", actor=actor, obj=bill, after={
        "case": target.number, "total": str(total), "payer": bill.payer_id,
        "lines": [{"item": ln.item_name, "fee": ln.fee_name, "amount": str(ln.amount)} for ln in lines]})
    send(bill.payer, subject=_("缴费通知：%(number)s") % {"number": target.number},
         body=_("您的办件 %(case)s 已受理，需缴纳费用共 %(total)s 元（收费单 %(bill)s），请登录平台在线缴纳。")
         % {"case": target.number, "total": total, "bill": bill.number},
         channels=CHANNELS, link=reverse("billing:bill", args=[bill.number]), obj=bill, actor=actor)
    return bill


@transaction.atomic
def cancel_bill(target: Application | BundleApplication, *, actor, reason: str) -> Bill | None:
    """Void the target's unpaid bill (case withdrawn or refused); None when there was none."""
    if isinstance(target, Application) and target.bundle_application_id:
        target = target.bundle_application
    bill = (Bill.objects.select_for_update().filter(**_target_filter(target), status=BillStatus.UNPAID).first())
    if bill is None:
        return None
    Bill.objects.filter(pk=bill.pk, status=BillStatus.UNPAID).update(status=BillStatus.CANCELLED)
    bill.status = BillStatus.CANCELLED
    record("billing.bill.cancel", actor=actor, obj=bill, before={"status": BillStatus.UNPAID},
           after={"status": BillStatus.CANCELLED, "reason": reason[:200]})
    return bill


# --- payments ---------------------------------------------------------------------------------


@transaction.atomic
def check_start_payment(bill: Bill, *, actor) -> PaymentStart:
    """Open a payment for the payer's unpaid bill at the configured gateway."""
    bill = Bill.objects.select_for_update().get(pk=bill.pk)
    if bill.payer_id != getattr(actor, "pk", None):
        raise BillingError(_("只能由缴费人本人支付该收费单。"))
    if bill.status != BillStatus.UNPAID:
        raise BillingError(_("收费单 %(number)s 当前状态为“%(status)s”，无需支付。")
                           % {"number": bill.number, "status": bill.get_status_display()})
    gateway = get_gateway()
    start = gateway.create_payment(bill)
    payment = Payment.objects.create(bill=bill, gateway=gateway.code, gateway_ref=start.ref, amount=bill.total)
    record("billing.payment.start", actor=actor, obj=payment,
           after={"bill": bill.number, "gateway": gateway.code, "ref": start.ref, "amount": str(bill.total)})
    return start


def _reject(status: int, code: str, message: str) -> CallbackRejected:
    return CallbackRejected(status, code, message)


def _locked_payment(result, code: str) -> tuple[Bill, Payment]:
    bill = Bill.objects.select_for_update().filter(number=result.bill_number).first()
    if bill is None:
        raise _reject(404, "unknown_bill", _("收费单 %(number)s 不存在。") % {"number": result.bill_number[:40]})
    payment = Payment.objects.select_for_update().filter(gateway_ref=result.ref).first()
    if payment is None:
        raise _reject(404, "unknown_payment", _("支付流水 %(ref)s 不存在。") % {"ref": result.ref[:64]})
    if payment.bill_id != bill.pk or payment.gateway != code:
        raise _reject(400, "mismatch", _("支付流水与收费单不符。"))
    return bill, payment


def settle_callback(code: str, data: dict[str, Any]) -> dict[str, str]:
    """Act on a gateway's callback once: verify, then settle the payment and the bill.

    Raises ``CallbackRejected`` (nothing written) for an unknown gateway, bill or payment, a
    bad signature or a wrong amount. A replayed callback answers OK and writes nothing.
    """
    gateway = gateway_for_code(code)
    if gateway is None:
        raise _reject(404, "unknown_gateway", _("未知的支付渠道。"))
    result = gateway.verify_callback(data)
    with transaction.atomic():
        bill, payment = _locked_payment(result, code)
        if payment.status != PaymentStatus.PENDING:
            return {"code": "duplicate", "message": _("该笔支付已处理，不再重复记账。")}
        if result.amount != payment.amount or result.amount != bill.total:
            raise _reject(400, "amount_mismatch", _("支付金额 %(paid)s 元与应缴金额 %(due)s 元不符，已拒绝。")
                          % {"paid": result.amount, "due": bill.total})
        return _settle(bill, payment, result)


def _settle(bill: Bill, payment: Payment, result) -> dict[str, str]:
    now = timezone.now()
    if not result.paid:
        new_status, message = PaymentStatus.FAILED, _("支付未成功，收费单仍待缴费。")
    elif bill.status != BillStatus.UNPAID:
        new_status, message = PaymentStatus.DUPLICATE, _("收费单已缴清或已作废，本笔支付将原路退回。")
    else:
        new_status, message = PaymentStatus.SUCCEEDED, _("支付成功。")
    Payment.objects.filter(pk=payment.pk).update(status=new_status, raw_callback=result.raw, settled_at=now)
    payment.status = new_status
    record("billing.payment.settle", actor=None, obj=payment, before={"status": PaymentStatus.PENDING},
           after={"status": new_status, "bill": bill.number, "amount": str(result.amount), "raw": result.raw})
    if new_status == PaymentStatus.SUCCEEDED:
        _mark_paid(bill, now)
    return {"code": new_status, "message": message}


def _mark_paid(bill: Bill, now) -> None:
    Bill.objects.filter(pk=bill.pk, status=BillStatus.UNPAID).update(status=BillStatus.PAID, paid_at=now)
    record("billing.bill.pay", actor=None, obj=bill, before={"status": BillStatus.UNPAID},
           after={"status": BillStatus.PAID, "paid_at": now.isoformat(), "total": str(bill.total)})
    send(bill.payer, subject=_("缴费成功：%(number)s") % {"number": bill.number},
         body=_("收费单 %(number)s 已缴费 %(total)s 元。") % {"number": bill.number, "total": bill.total},
         channels=CHANNELS, link=reverse("billing:bill", args=[bill.number]), obj=bill)


# --- licences ---------------------------------------------------------------------------------


_LICENCE_OF = CompiledQuery(lambda application_id: License.objects.filter(application=application_id).order_by("pk")[:1])


@joinable
def issue_licence(application: Application, *, actor, valid_until: date | None = None) -> License:
    """Render, store, seal and record the e-licence of a granted case. Idempotent."""
    existing = _LICENCE_OF.first(application.pk)
    if existing is not None:
        return existing
    if application.status != Status.GRANTED:
        raise BillingError(_("办件 %(number)s 尚未准予许可，不能签发证照。") % {"number": application.number})
    issued_at = timezone.now()
    number, word_number = licence_numbers(application, issued_at, next_value)
    sheet = build_sheet(application, number=number, word_number=word_number, issued_at=issued_at,
                        valid_until=valid_until)
    title = application.item_version.name[:200]
    document = seal_pdf(application.department, render_licence_pdf(sheet), f"{number}.pdf",
                        f"{title}（{word_number}）"[:200], actor=actor)
    [licence] = insert([License(
        number=number, word_number=word_number, application=application, department=application.department,
        holder=application.applicant, holder_name=application.applicant_name,
        holder_id_number=application.applicant_id_number, title=title,
        content=[{"label": label, "value": value} for label, value in sheet.fields], issued_at=issued_at,
        valid_until=valid_until, pdf=document.attachment, signed_document=document,
        delivery_method=application.delivery or DeliveryMethod.DOWNLOAD,
        delivery_address=application.delivery_address)])
    record("billing.licence.issue", actor=actor, obj=licence, after={
        "case": application.number, "number": number, "word_number": word_number, "sm3": document.sm3,
        "verify_code": document.verify_code, "delivery": licence.delivery_method})
    send(application.applicant, subject=_("证照已签发：%(title)s") % {"title": title},
         body=_("您的办件 %(case)s 已准予许可，电子证照 %(number)s 已签发。") % {"case": application.number,
                                                                    "number": word_number},
         channels=CHANNELS, link=reverse("billing:licence", args=[number]), obj=licence, actor=actor)
    return licence


def unpaid_bill_for(application: Application) -> Bill | None:
    """The bill still to be paid before the case's result may be handed over."""
    target = application.bundle_application if application.bundle_application_id else application
    return Bill.objects.filter(**_target_filter(target), status=BillStatus.UNPAID).first()


@transaction.atomic
def do_record_download(licence: License, *, user) -> None:
    """Audit the holder's download; a first download delivers a licence chosen for download."""
    record("billing.licence.download", actor=user, obj=licence, after={"number": licence.number})
    if licence.delivery_method == DeliveryMethod.DOWNLOAD and licence.delivered_at is None:
        now = timezone.now()
        if License.objects.filter(pk=licence.pk, delivered_at__isnull=True).update(delivered_at=now):
            licence.delivered_at = now
            record("billing.licence.deliver", actor=user, obj=licence, before={"delivered_at": None},
                   after={"method": DeliveryMethod.DOWNLOAD, "delivered_at": now.isoformat()})


@transaction.atomic
def check_deliver_licence(licence: License, *, actor, method: str, tracking_number: str = "") -> License:
    """Record a window pickup or a posting (with its tracking number)."""
    require(actor, "billing.licence.deliver", department=licence.department)
    tracking_number = (tracking_number or "").strip()[:40]
    if method not in (DeliveryMethod.WINDOW, DeliveryMethod.POST):
        raise _invalid(_("请选择送达方式：窗口领取或邮寄送达。"))
    if method == DeliveryMethod.POST and not tracking_number:
        raise _invalid(_("邮寄送达须填写邮件单号。"))
    licence = License.objects.select_for_update(of=("self",)).select_related("application").get(pk=licence.pk)
    if licence.status != LicenseStatus.VALID:
        raise BillingError(_("证照已注销，不能送达。"))
    if licence.delivered_at is not None:
        raise BillingError(_("证照已于 %(at)s 送达，不能重复登记。")
                           % {"at": timezone.localtime(licence.delivered_at).strftime("%Y-%m-%d %H:%M")})
    if unpaid_bill_for(licence.application) is not None:
        raise BillingError(_("该办件的收费单尚未缴清，暂不能送达证照。"))
    before = {"method": licence.delivery_method, "delivered_at": None}
    licence.delivery_method, licence.tracking_number = method, tracking_number
    licence.delivered_at, licence.delivered_by = timezone.now(), actor
    licence.save(update_fields=["delivery_method", "tracking_number", "delivered_at", "delivered_by"])
    record("billing.licence.deliver", actor=actor, obj=licence, before=before,
           after={"method": method, "tracking_number": tracking_number,
                  "delivered_at": licence.delivered_at.isoformat()})
    body = (_("您的证照 %(number)s 已由窗口交付。") if method == DeliveryMethod.WINDOW
            else _("您的证照 %(number)s 已邮寄，邮件单号 %(tracking)s。"))
    send(licence.holder, subject=_("证照送达：%(title)s") % {"title": licence.title},
         body=body % {"number": licence.word_number, "tracking": tracking_number}, channels=CHANNELS,
         link=reverse("billing:licence", args=[licence.number]), obj=licence, actor=actor)
    return licence


# --- refunds (退费) ------------------------------------------------------------------------------

# A paid bill is refunded in full once its case (or every case of its bundle) closed without
# a grant: withdrawn after payment, denied, or refused.
CLOSED_WITHOUT_GRANT = (Status.WITHDRAWN, Status.DENIED, Status.REFUSED)


def _closed_without_grant(bill: Bill) -> bool:
    if bill.application_id is not None:
        return bill.application.status in CLOSED_WITHOUT_GRANT
    statuses = set(bill.bundle_application.applications.values_list("status", flat=True))
    return bool(statuses) and statuses <= set(CLOSED_WITHOUT_GRANT)


def full_refund_payment(bill: Bill) -> Payment | None:
    """The payment a full refund of ``bill`` would return now, or None when none is due (a read)."""
    if bill.status != BillStatus.PAID or not _closed_without_grant(bill):
        return None
    payment = bill.payments.filter(status=PaymentStatus.SUCCEEDED).order_by("settled_at", "id").first()
    if payment is None or payment.refunds.exclude(status=RefundStatus.FAILED).exists():
        return None
    return payment


def _payment_to_refund_in_full(bill: Bill) -> Payment:
    if bill.status != BillStatus.PAID:
        raise BillingError(_("收费单 %(number)s 当前状态为“%(status)s”，不能退费。")
                           % {"number": bill.number, "status": bill.get_status_display()}, code="not_paid")
    if not _closed_without_grant(bill):
        raise BillingError(_("办件 %(case)s 未撤回，也未被不予许可或不予受理，不能全额退费。")
                           % {"case": bill.case_number}, code="case_open")
    payment = (Payment.objects.select_for_update().filter(bill=bill, status=PaymentStatus.SUCCEEDED)
               .order_by("settled_at", "id").first())
    if payment is None:
        raise BillingError(_("收费单 %(number)s 没有可原路退回的支付记录。") % {"number": bill.number},
                           code="no_payment")
    return payment


def _duplicate_payment(bill: Bill, payment: Payment) -> Payment:
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.bill_id != bill.pk:
        raise BillingError(_("支付流水与收费单不符。"), status=400, code="mismatch")
    if payment.status != PaymentStatus.DUPLICATE:
        raise BillingError(_("支付流水 %(ref)s 不是重复支付（当前为“%(status)s”），不能单独退回。")
                           % {"ref": payment.gateway_ref, "status": payment.get_status_display()},
                           code="not_duplicate")
    return payment


@transaction.atomic
def check_start_refund(bill: Bill, *, actor, reason: str, payment: Payment | None = None) -> Refund:
    """退费: return a payment the way it came — the bill's payment in full when its case closed
    without a grant, or ``payment`` when it was a duplicate. The gateway confirms later."""
    require(actor, BILL_REFUND, department=bill.department)
    reason = (reason or "").strip()
    if not reason:
        raise _invalid(_("请填写退费说明。"))
    bill = (Bill.objects.select_for_update(of=("self",)).select_related("application", "bundle_application")
            .get(pk=bill.pk))
    if payment is None:
        kind, payment = RefundKind.CASE_CLOSED, _payment_to_refund_in_full(bill)
    else:
        kind, payment = RefundKind.DUPLICATE, _duplicate_payment(bill, payment)
    live = Refund.objects.filter(payment=payment).exclude(status=RefundStatus.FAILED).first()
    if live is not None:
        raise BillingError(_("支付流水 %(ref)s 已%(status)s（退款流水 %(refund)s），不能重复退费。")
                           % {"ref": payment.gateway_ref, "status": live.get_status_display(),
                              "refund": live.gateway_ref}, code="already_refunding")
    gateway = gateway_for_code(payment.gateway)
    if gateway is None:
        raise BillingError(_("该笔支付的渠道（%(code)s）当前未启用，无法原路退回。") % {"code": payment.gateway},
                           code="gateway_unavailable")
    start = gateway.refund(payment, amount=payment.amount, reason=reason)
    refund = Refund.objects.create(bill=bill, payment=payment, kind=kind, amount=payment.amount, reason=reason,
                                   gateway=gateway.code, gateway_ref=start.ref, requested_by=actor)
    record("billing.refund.start", actor=actor, obj=refund, after={
        "bill": bill.number, "payment": payment.gateway_ref, "ref": start.ref, "kind": kind,
        "amount": str(refund.amount), "reason": reason[:500]})
    send(bill.payer, subject=_("退费受理：%(number)s") % {"number": bill.number},
         body=_("收费单 %(number)s 的 %(amount)s 元（%(kind)s）已申请原路退回，到账后另行通知。")
         % {"number": bill.number, "amount": refund.amount, "kind": refund.get_kind_display()},
         channels=INBOX_SMS, link=reverse("billing:bill", args=[bill.number]), obj=bill, actor=actor)
    return refund


def _locked_refund(result) -> tuple[Bill, Payment, Refund]:
    bill = Bill.objects.select_for_update().filter(number=result.bill_number).first()
    if bill is None:
        raise _reject(404, "unknown_bill", _("收费单 %(number)s 不存在。") % {"number": result.bill_number[:40]})
    payment = Payment.objects.select_for_update().filter(gateway_ref=result.payment_ref).first()
    if payment is None:
        raise _reject(404, "unknown_payment", _("支付流水 %(ref)s 不存在。") % {"ref": result.payment_ref[:64]})
    refund = Refund.objects.select_for_update().filter(gateway_ref=result.ref).first()
    if refund is None:
        raise _reject(404, "unknown_refund", _("退款流水 %(ref)s 不存在。") % {"ref": result.ref[:64]})
    if refund.bill_id != bill.pk or refund.payment_id != payment.pk or payment.bill_id != bill.pk:
        raise _reject(400, "mismatch", _("退款流水与收费单或支付流水不符。"))
    return bill, payment, refund


def settle_refund_callback(code: str, data: dict[str, Any]) -> dict[str, str]:
    """Act on a gateway's refund confirmation once (mirrors ``settle_callback``).

    Raises ``CallbackRejected`` (nothing written) for an unknown gateway, bill, payment or
    refund, a bad signature or a wrong amount. A replayed confirmation answers OK and writes nothing.
    """
    gateway = gateway_for_code(code)
    if gateway is None:
        raise _reject(404, "unknown_gateway", _("未知的支付渠道。"))
    result = gateway.verify_refund_callback(data)
    with transaction.atomic():
        bill, payment, refund = _locked_refund(result)
        if refund.gateway != code:
            raise _reject(400, "mismatch", _("退款流水与支付渠道不符。"))
        if refund.status != RefundStatus.PENDING:
            return {"code": "duplicate", "message": _("该笔退款已处理，不再重复记账。")}
        if result.amount != refund.amount:
            raise _reject(400, "amount_mismatch", _("退款金额 %(got)s 元与应退金额 %(due)s 元不符，已拒绝。")
                          % {"got": result.amount, "due": refund.amount})
        return _settle_refund(bill, payment, refund, result)


def _settle_refund(bill: Bill, payment: Payment, refund: Refund, result) -> dict[str, str]:
    now = timezone.now()
    status = RefundStatus.SUCCEEDED if result.refunded else RefundStatus.FAILED
    Refund.objects.filter(pk=refund.pk).update(status=status, raw_callback=result.raw, settled_at=now)
    record("billing.refund.settle", actor=None, obj=refund, before={"status": RefundStatus.PENDING},
           after={"status": status, "bill": bill.number, "amount": str(result.amount), "raw": result.raw})
    link = reverse("billing:bill", args=[bill.number])
    if status == RefundStatus.FAILED:
        send(refund.requested_by, subject=_("退款失败：%(number)s") % {"number": bill.number},
             body=_("收费单 %(number)s 的退款（%(ref)s）未成功，请核实后重新发起。")
             % {"number": bill.number, "ref": refund.gateway_ref}, channels=("inbox",), link=link, obj=bill)
        return {"code": status, "message": _("退款未成功，可重新发起。")}
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.REFUNDED)
    record("billing.payment.refund", actor=None, obj=payment, before={"status": payment.status},
           after={"status": PaymentStatus.REFUNDED, "refund": refund.gateway_ref})
    if refund.kind == RefundKind.CASE_CLOSED:
        Bill.objects.filter(pk=bill.pk, status=BillStatus.PAID).update(status=BillStatus.REFUNDED, refunded_at=now)
        record("billing.bill.refund", actor=None, obj=bill, before={"status": BillStatus.PAID},
               after={"status": BillStatus.REFUNDED, "refunded_at": now.isoformat(), "amount": str(refund.amount)})
    send(bill.payer, subject=_("退费成功：%(number)s") % {"number": bill.number},
         body=_("收费单 %(number)s 的 %(amount)s 元已原路退回，请留意到账。")
         % {"number": bill.number, "amount": refund.amount}, channels=INBOX_SMS, link=link, obj=bill)
    return {"code": status, "message": _("退款成功。")}


# --- licence revocation (证照注销/撤销) ------------------------------------------------------------


def _revoke_seal_record(licence: License, *, reason: str, basis: str, actor) -> bool:
    """Revoke the licence's signed document, so verification reports it; False if it already was."""
    text = _("证照注销：%(reason)s（依据：%(basis)s）") % {"reason": reason, "basis": basis}
    try:
        revoke_as_system(licence.signed_document, reason=text[:200], actor=actor)
    except SealError:
        return False  # revoked earlier from the seals console: verification already says so
    return True


@transaction.atomic
def check_revoke_licence(licence: License, *, reason: str, basis: str, actor) -> License:
    """注销/撤销: the issuing department revokes a granted case's e-licence, with a reason and
    its legal basis; the seal record is revoked too, so verification reports it."""
    require(actor, LICENCE_REVOKE, department=licence.department)
    reason, basis = (reason or "").strip(), (basis or "").strip()
    if not reason or not basis:
        raise _invalid(_("注销证照须填写注销理由和法律依据。"))
    licence = (License.objects.select_for_update(of=("self",))
               .select_related("application__item_version", "signed_document", "holder").get(pk=licence.pk))
    if licence.status == LicenseStatus.REVOKED:
        raise BillingError(_("证照 %(number)s 已于 %(at)s 注销，不能重复注销。")
                           % {"number": licence.word_number,
                              "at": timezone.localtime(licence.revoked_at).strftime("%Y-%m-%d %H:%M")},
                           code="already_revoked")
    if licence.application.status != Status.GRANTED:
        raise BillingError(_("办件 %(case)s 不是准予许可状态，不能注销其证照。") % {"case": licence.application.number},
                           code="not_granted")
    now = timezone.now()
    licence.status, licence.revoked_at, licence.revoked_by = LicenseStatus.REVOKED, now, actor
    licence.revoke_reason, licence.revoke_basis = reason, basis
    licence.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason", "revoke_basis"])
    seal_revoked = _revoke_seal_record(licence, reason=reason, basis=basis, actor=actor)
    record("billing.licence.revoke", actor=actor, obj=licence, before={"status": LicenseStatus.VALID},
           after={"status": LicenseStatus.REVOKED, "case": licence.application.number, "reason": reason,
                  "basis": basis, "verify_code": licence.signed_document.verify_code, "seal_revoked": seal_revoked})
    application_event(licence.application, _("电子证照注销"), actor=actor, before=licence.application.status,
                      note=_("证照 %(number)s 已注销。理由：%(reason)s；依据：%(basis)s")
                      % {"number": licence.word_number, "reason": reason, "basis": basis})
    send(licence.holder, subject=_("证照已注销：%(title)s") % {"title": licence.title},
         body=_("您的电子证照 %(number)s 已由%(department)s注销，理由：%(reason)s；依据：%(basis)s。")
         % {"number": licence.word_number, "department": licence.department.name, "reason": reason,
            "basis": basis},
         channels=INBOX_SMS, link=reverse("billing:licence", args=[licence.number]), obj=licence, actor=actor)
    return licence
