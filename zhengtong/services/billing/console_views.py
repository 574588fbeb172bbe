"""Console pages: the department's bills, and its licences with delivery (window, post)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.core.permissions.checks import require
from zhengtong.core.permissions.console import console_view, render_page
from zhengtong.services.billing import queries
from zhengtong.services.billing.actions import BillingError, check_deliver_licence
from zhengtong.services.billing.forms import DeliverForm
from zhengtong.services.billing.models import BillStatus

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


@console_view
def bill(request: HttpRequest, number: str) -> HttpResponse:
    require(request.user, "billing.bill.view")
    found = queries.access_bill(request.user, number)
    return render_page(request, "billing/console_bill.html", _("收费单 %(number)s") % {"number": found.number},
                       icon="list-ul", bill=found, payments=found.payments.all())


@console_view
def licences(request: HttpRequest) -> HttpResponse:
    pending = request.GET.get("pending") == "1"
    q = request.GET.get("q", "").strip()[:40]
    rows = queries.licences_for_console(request.user, pending=pending, q=q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p"))
    return render_page(request, "billing/console_licences.html", _("电子证照"), icon="doc-full-inverse",
                       page=page, pending=pending, q=q, form=DeliverForm())


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
