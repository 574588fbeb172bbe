"""Permission-checked reads of bills and licences (404 for what the user may not see)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zhengtong.core.permissions.checks import has_perm, require, scope_q
from zhengtong.services.billing.models import Bill, License, Payment

BILL_RELATED = ("department", "payer", "application", "bundle_application")


def my_bills(user) -> QuerySet[Bill]:
    return Bill.objects.filter(payer=user).select_related(*BILL_RELATED)


def my_licences(user) -> QuerySet[License]:
    return License.objects.filter(holder=user).select_related("department", "signed_document")


def bills_for_console(user, *, status: str = "", q: str = "") -> QuerySet[Bill]:
    require(user, "billing.bill.view")
    bills = Bill.objects.filter(scope_q(user, "billing.bill.view")).select_related(*BILL_RELATED)
    if status:
        bills = bills.filter(status=status)
    if q:
        bills = bills.filter(Q(number__icontains=q) | Q(payer_name__icontains=q)
                             | Q(application__number__icontains=q) | Q(bundle_application__number__icontains=q))
    return bills


def licences_for_console(user, *, pending: bool = False, q: str = "") -> QuerySet[License]:
    require(user, "billing.licence.view")
    licences = (License.objects.filter(scope_q(user, "billing.licence.view"))
                .select_related("department", "application", "delivered_by", "signed_document"))
    if pending:
        licences = licences.filter(delivered_at__isnull=True)
    if q:
        licences = licences.filter(Q(number__icontains=q) | Q(word_number__icontains=q)
                                   | Q(holder_name__icontains=q) | Q(application__number__icontains=q))
    return licences


def _bill(number: str) -> Bill | None:
    return Bill.objects.select_related(*BILL_RELATED).prefetch_related("lines").filter(number=number).first()


def access_bill_as_payer(user, number: str) -> Bill:
    bill = _bill(number)
    if bill is None or bill.payer_id != getattr(user, "pk", None):
        raise Http404(_("收费单不存在"))
    return bill


def access_bill(user, number: str) -> Bill:
    """The payer's own bill, or one in a staff member's scope."""
    bill = _bill(number)
    if bill is None or not (bill.payer_id == getattr(user, "pk", None)
                            or has_perm(user, "billing.bill.view", department=bill.department)):
        raise Http404(_("收费单不存在"))
    return bill


def access_payment_as_payer(user, ref: str) -> Payment:
    payment = Payment.objects.select_related("bill").filter(gateway_ref=ref).first()
    if payment is None or payment.bill.payer_id != getattr(user, "pk", None):
        raise Http404(_("支付记录不存在"))
    return payment


def access_licence_as_holder(user, number: str) -> License:
    licence = (License.objects.select_related("department", "application", "pdf", "signed_document")
               .filter(number=number).first())
    if licence is None or licence.holder_id != getattr(user, "pk", None):
        raise Http404(_("证照不存在"))
    return licence


def access_licence_for_staff(user, licence_id: int, action: str) -> License:
    licence = License.objects.select_related("department__region", "application").filter(pk=licence_id).first()
    if licence is None:
        raise Http404(_("证照不存在"))
    require(user, action, department=licence.department)
    return licence


def access_bill_for_staff(user, number: str, action: str = "billing.bill.view") -> Bill:
    """A bill in the staff member's view scope (404 outside it), then ``action`` for its department (403)."""
    bill = _bill(number)
    if bill is None or not has_perm(user, "billing.bill.view", department=bill.department):
        raise Http404(_("收费单不存在"))
    require(user, action, department=bill.department)
    return bill


def access_licence_in_scope(user, *, pk: int | None = None, number: str = "",
                            action: str = "billing.licence.view") -> License:
    """A licence in the staff member's view scope (404 outside it), then ``action`` for its department (403)."""
    found = License.objects.select_related("department__region", "application", "signed_document", "revoked_by",
                                           "delivered_by")
    licence = found.filter(number=number).first() if number else found.filter(pk=pk or 0).first()
    if licence is None or not has_perm(user, "billing.licence.view", department=licence.department):
        raise Http404(_("证照不存在"))
    require(user, action, department=licence.department)
    return licence
