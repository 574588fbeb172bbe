"""Writes of billing: issue a case's one bill, start and settle payments, issue and deliver
the sealed e-licence.

Contract with the applications app, which calls these from its own (already
permission-checked) actions:

* ``issue_bill(target, *, actor)`` on acceptance — ``target`` is an Application or a
  BundleApplication (a case that belongs to a bundle is billed on its bundle); one bill
  listing every fee of every item, ``None`` when all is free; idempotent per target.
* ``issue_licence(application, *, actor)`` when a case is granted; idempotent.
* ``cancel_bill(target, *, actor, reason)`` when a case is withdrawn or refused before payment.
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
from zhengtong.core.notify.actions import send
from zhengtong.core.permissions.checks import require
from zhengtong.services.applications.models import Application, BundleApplication, Status
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
)
from zhengtong.services.billing.pdf import render_licence_pdf
from zhengtong.services.billing.sealing import seal_pdf

CHANNELS = ("inbox", "sms", "email")
NOT_BILLABLE = (Status.DRAFT, Status.REFUSED, Status.WITHDRAWN, Status.DENIED)


class BillingError(Exception):
    """A refused billing or licence operation, with a Chinese message for the user."""


def next_value(key: str) -> int:
    """Increment a row-locked counter (callers are inside a transaction)."""
    counter, _created = Counter.objects.select_for_update().get_or_create(key=key)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value


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


@transaction.atomic
def issue_bill(target: Application | BundleApplication, *, actor) -> Bill | None:
    """The one bill for a case or bundle (一单式收费); None when every item is free. Idempotent."""
    if isinstance(target, Application) and target.bundle_application_id:
        target = target.bundle_application
    existing = Bill.objects.filter(**_target_filter(target)).exclude(status=BillStatus.CANCELLED).first()
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


@transaction.atomic
def issue_licence(application: Application, *, actor, valid_until: date | None = None) -> License:
    """Render, store, seal and record the e-licence of a granted case. Idempotent."""
    existing = License.objects.filter(application=application).first()
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
    licence = License.objects.create(
        number=number, word_number=word_number, application=application, department=application.department,
        holder=application.applicant, holder_name=application.applicant_name,
        holder_id_number=application.applicant_id_number, title=title,
        content=[{"label": label, "value": value} for label, value in sheet.fields], issued_at=issued_at,
        valid_until=valid_until, pdf=document.attachment, signed_document=document,
        delivery_method=application.delivery or DeliveryMethod.DOWNLOAD,
        delivery_address=application.delivery_address)
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
        raise BillingError(_("请选择送达方式：窗口领取或邮寄送达。"))
    if method == DeliveryMethod.POST and not tracking_number:
        raise BillingError(_("邮寄送达须填写邮件单号。"))
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
