"""Public pages under /pay/: the payer's bills, the demo cashier, the gateway's payment and
refund callbacks, the holder's licences (download after payment, also once revoked) and the
licence-number verification redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from zhengtong.core.seals.keys import SealKeyError
from zhengtong.services.billing import queries
from zhengtong.services.billing.actions import (
    BillingError,
    check_start_payment,
    do_record_download,
    settle_callback,
    settle_refund_callback,
    unpaid_bill_for,
)
from zhengtong.services.billing.gateways import (
    CallbackRejected,
    LoggingGateway,
    get_gateway,
    request_data,
)
from zhengtong.services.billing.models import License, PaymentStatus

# --- bills -------------------------------------------------------------------------------------


@login_required
def my_bills(request: HttpRequest) -> HttpResponse:
    return render(request, "billing/my_bills.html", {"bills": queries.my_bills(request.user)[:200]})


@login_required
def bill(request: HttpRequest, number: str) -> HttpResponse:
    found = queries.access_bill_as_payer(request.user, number)
    return render(request, "billing/bill.html", {"bill": found, "gateway": get_gateway()})


@require_POST
@login_required
def pay(request: HttpRequest, number: str) -> HttpResponse:
    found = queries.access_bill_as_payer(request.user, number)
    try:
        start = check_start_payment(found, actor=request.user)
    except BillingError as exc:
        messages.error(request, str(exc))
        return redirect("billing:bill", number=found.number)
    return redirect(start.redirect_url)


@login_required
def cashier(request: HttpRequest, ref: str) -> HttpResponse:
    """The demo gateway's cashier: the payer confirms, the form posts a signed callback."""
    gateway = get_gateway()
    if not isinstance(gateway, LoggingGateway):
        raise Http404(_("当前支付渠道没有模拟收银台"))
    payment = queries.access_payment_as_payer(request.user, ref)
    if payment.status != PaymentStatus.PENDING:
        return redirect("billing:bill", number=payment.bill.number)
    return render(request, "billing/cashier.html", {
        "payment": payment, "bill": payment.bill, "gateway": gateway,
        "fields": gateway.callback_fields(payment), "cancel_fields": gateway.callback_fields(payment, paid=False)})



def _settle(request: HttpRequest, gateway: str, settle) -> HttpResponse:
    try:
        data = request_data(request)
        outcome = settle(gateway, data)
    except CallbackRejected as exc:
        return JsonResponse({"code": exc.code, "message": exc.message}, status=exc.status,
                            json_dumps_params={"ensure_ascii": False})
    next_url = str(data.get("next", ""))
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)  # the demo cashier's or console's browser form comes back to the bill
    return JsonResponse(outcome, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_POST
def callback(request: HttpRequest, gateway: str) -> HttpResponse:
    """Gateways post here; the signature, not a session or CSRF token, authenticates them."""
    return _settle(request, gateway, settle_callback)


@csrf_exempt
@require_POST
def refund_callback(request: HttpRequest, gateway: str) -> HttpResponse:
    """A gateway confirms a refund here; like a payment callback, its signature authenticates it."""
    return _settle(request, gateway, settle_refund_callback)


# --- licences -------------------------------------------------------------------------------


@login_required
def my_licences(request: HttpRequest) -> HttpResponse:
    return render(request, "billing/my_licences.html", {"licences": queries.my_licences(request.user)[:200]})


@login_required
def licence(request: HttpRequest, number: str) -> HttpResponse:
    found = queries.access_licence_as_holder(request.user, number)
    return render(request, "billing/licence.html", {"licence": found, "unpaid": unpaid_bill_for(found.application)})


@require_GET
@login_required
def download(request: HttpRequest, number: str) -> HttpResponse:
    found = queries.access_licence_as_holder(request.user, number)
    unpaid = unpaid_bill_for(found.application)
    if unpaid is not None:
        return render(request, "billing/refused.html", {
            "message": _("请先缴清收费单 %(number)s（%(total)s 元）后再下载证照。")
            % {"number": unpaid.number, "total": unpaid.total}, "bill": unpaid}, status=403)
    try:
        handle = found.pdf.file.open("rb")
    except (OSError, SealKeyError):
        raise Http404(_("证照文件不存在")) from None
    do_record_download(found, user=request.user)
    response = FileResponse(handle, as_attachment=True, filename=f"{found.number}.pdf",
                            content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def licence_verify(request: HttpRequest, number: str) -> HttpResponse:
    """What the QR code on a licence points to: the seal verification of its signed document."""
    found = License.objects.select_related("signed_document").filter(number=number).first()
    if found is None:
        return render(request, "billing/licence_unknown.html", {"number": number}, status=404)
    return redirect("seals:document", code=found.signed_document.verify_code)
