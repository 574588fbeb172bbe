"""Console pages: the department's bills (with refunds), and its licences with delivery
(window, post) and revocation."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.core.console import console_view, render_page
from zhengtong.core.permissions.checks import has_perm, require
from zhengtong.services.billing import queries
from zhengtong.services.billing.actions import (
    BillingError,
    check_deliver_licence,
    check_revoke_licence,
    check_start_refund,
    full_refund_payment,
)
from zhengtong.services.billing.forms import DeliverForm
from zhengtong.services.billing.gateways import LoggingGateway, get_gateway
from zhengtong.services.billing.models import (
    Bill,
    BillStatus,
    License,
    LicenseStatus,
    PaymentStatus,
    RefundStatus,
)
from zhengtong.services.billing.permissions import BILL_REFUND, LICENCE_REVOKE

PAGE_SIZE = 50


@console_view
def bills(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "").strip()
    status = status if status in BillStatus.values else ""
    q = request.GET.get("q", "").strip()[:40]
    rows = queries.bills_for_console(request.user, status=status, q=q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p"))
    return render_page(request, "billing/console_bills.html", _("收费单"), icon="list-ul", page=page,
                       current_status=status, q=q, statuses=BillStatus.choices)


def _demo_confirmations(bill: Bill, refunds: list) -> dict[int, tuple[dict, dict]]:
    """For the demo gateway only: the signed confirmations its console buttons post (the
    gateway's part, played here because no real gateway will call back)."""
    gateway = get_gateway()
    if not isinstance(gateway, LoggingGateway):
        return {}
    return {r.pk: (gateway.refund_callback_fields(r), gateway.refund_callback_fields(r, refunded=False))
            for r in refunds if r.status == RefundStatus.PENDING and r.gateway == gateway.code}


def _bill_page(request: HttpRequest, bill: Bill, *, status: int = 200, error: str = "") -> HttpResponse:
    refunds = list(bill.refunds.select_related("payment", "requested_by"))
    can_refund = has_perm(request.user, BILL_REFUND, department=bill.department)
    return render_page(request, "billing/console_bill.html", _("收费单 %(number)s") % {"number": bill.number},
                       icon="list-ul", status=status, error=error, bill=bill, payments=bill.payments.all(),
                       refunds=refunds, can_refund=can_refund,
                       full_refund=full_refund_payment(bill) if can_refund else None,
                       duplicate=PaymentStatus.DUPLICATE, refunding={r.payment_id for r in refunds
                                                                     if r.status != RefundStatus.FAILED},
                       confirmations=_demo_confirmations(bill, refunds) if can_refund else {},
                       back=reverse("billing_console:bill", args=[bill.number]))


@console_view
def bill(request: HttpRequest, number: str) -> HttpResponse:
    require(request.user, "billing.bill.view")
    return _bill_page(request, queries.access_bill(request.user, number))


@console_view
@require_POST
def refund(request: HttpRequest, number: str) -> HttpResponse:
    """退费: the whole bill (no ``payment``) or one duplicate payment (its gateway reference)."""
    found = queries.access_bill_for_staff(request.user, number, BILL_REFUND)
    ref = request.POST.get("payment", "").strip()
    payment = found.payments.filter(gateway_ref=ref).first() if ref else None
    if ref and payment is None:
        raise Http404(_("支付记录不存在"))
    try:
        made = check_start_refund(found, actor=request.user, reason=request.POST.get("reason", ""), payment=payment)
    except BillingError as exc:
        return _bill_page(request, found, status=exc.status, error=exc.message)
    messages.success(request, _("已发起退费 %(amount)s 元（退款流水 %(ref)s），待支付渠道确认。")
                     % {"amount": made.amount, "ref": made.gateway_ref})
    return redirect("billing_console:bill", number=found.number)


@console_view
def licences(request: HttpRequest) -> HttpResponse:
    pending = request.GET.get("pending") == "1"
    q = request.GET.get("q", "").strip()[:40]
    rows = queries.licences_for_console(request.user, pending=pending, q=q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p"))
    return render_page(request, "billing/console_licences.html", _("电子证照"), icon="doc-full-inverse",
                       page=page, pending=pending, q=q, form=DeliverForm())


def _licence_page(request: HttpRequest, licence: License, *, status: int = 200, error: str = "") -> HttpResponse:
    can_revoke = (licence.status == LicenseStatus.VALID
                  and has_perm(request.user, LICENCE_REVOKE, department=licence.department))
    return render_page(request, "billing/console_licence.html", _("电子证照 %(number)s") % {"number": licence.word_number},
                       icon="doc-full-inverse", status=status, error=error, licence=licence, can_revoke=can_revoke,
                       form={"reason": request.POST.get("reason", ""), "basis": request.POST.get("basis", "")})


@console_view
def licence(request: HttpRequest, licence_id: int) -> HttpResponse:
    require(request.user, "billing.licence.view")
    return _licence_page(request, queries.access_licence_in_scope(request.user, pk=licence_id))


@console_view
@require_POST
def revoke(request: HttpRequest, licence_id: int) -> HttpResponse:
    found = queries.access_licence_in_scope(request.user, pk=licence_id, action=LICENCE_REVOKE)
    try:
        check_revoke_licence(found, reason=request.POST.get("reason", ""), basis=request.POST.get("basis", ""),
                             actor=request.user)
    except BillingError as exc:
        return _licence_page(request, found, status=exc.status, error=exc.message)
    messages.success(request, _("证照 %(number)s 已注销，核验页面将显示为已撤销。") % {"number": found.word_number})
    return redirect("billing_console:licence", licence_id=found.pk)


@console_view
@require_POST
def deliver(request: HttpRequest, licence_id: int) -> HttpResponse:
    licence = queries.access_licence_for_staff(request.user, licence_id, "billing.licence.deliver")
    form = DeliverForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择送达方式。"))
        return redirect("billing_console:licences")
    try:
        check_deliver_licence(licence, actor=request.user, method=form.cleaned_data["method"],
                              tracking_number=form.cleaned_data["tracking_number"])
    except BillingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已登记送达：%(number)s") % {"number": licence.word_number})
    return redirect("billing_console:licences")
