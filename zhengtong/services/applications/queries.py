"""Scoped reads: the applicant's own cases, staff inboxes, permission-checked fetches, pre-fill."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zhengtong.core.accounts.models import User
from zhengtong.core.permissions.checks import has_perm, scope_q
from zhengtong.services.applications.models import (
    OPEN_STATUSES,
    Application,
    BundleApplication,
    Status,
    SupplementRequest,
    SupplementStatus,
)
from zhengtong.services.applications.numbers import InvalidNumber, parse_number
from zhengtong.services.applications.registry import ACCEPT, APPROVE_SUPPLEMENT, VIEW

_RELATED = ("item_version__item", "department", "applicant", "acceptance_case", "processing_case",
            "bundle_application", "license")


def my_applications(user) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).select_related(*_RELATED).order_by("-created_at", "-id")


def _by_number(qs: QuerySet[Application], number: str) -> Application:
    try:
        canonical = parse_number(number)
    except InvalidNumber as exc:
        raise Http404(str(exc)) from exc
    app = qs.filter(number=canonical).first()
    if app is None:
        raise Http404(_("办件不存在"))
    return app


def access_own_application(user, number: str) -> Application:
    """The applicant's own case by number; a forged number or someone else's case is a 404."""
    if not getattr(user, "is_authenticated", False):
        raise Http404(_("办件不存在"))
    return _by_number(my_applications(user), number)


def access_own_bundle(user, number: str) -> BundleApplication:
    try:
        canonical = parse_number(number)
    except InvalidNumber as exc:
        raise Http404(str(exc)) from exc
    bundle = BundleApplication.objects.filter(applicant=user, number=canonical).select_related("bundle").first()
    if bundle is None:
        raise Http404(_("办件不存在"))
    return bundle


def visible_applications(user, action: str = VIEW) -> QuerySet[Application]:
    return Application.objects.filter(scope_q(user, action)).select_related(*_RELATED)


def access_staff_application(user, *, pk: int | None = None, number: str = "") -> Application:
    """A case within the user's view scope; 404 outside it (no existence leak), 403 without the action."""
    if not has_perm(user, VIEW):
        raise PermissionDenied(_("您没有“查看办件”的权限"))
    qs = visible_applications(user)
    if number:
        return _by_number(qs, number)
    app = qs.filter(pk=pk).first()
    if app is None:
        raise Http404(_("办件不存在"))
    return app


def acceptance_inbox(user, tab: str = "pending") -> QuerySet[Application]:
    qs = visible_applications(user, ACCEPT)
    if tab == "pending":
        return qs.filter(status=Status.SUBMITTED).order_by("submitted_at", "id")
    if tab == "supplementing":
        return qs.filter(status=Status.SUPPLEMENTING).order_by("submitted_at", "id")
    if tab == "running":
        return qs.filter(status__in=[Status.ACCEPTED, Status.REVIEWING, Status.SPECIAL_STEP]).order_by(
            "processing_case__due_date", "id")
    return qs.order_by("-created_at", "-id")


def pending_supplement_approvals(user) -> QuerySet[SupplementRequest]:
    return (SupplementRequest.objects.filter(scope_q(user, APPROVE_SUPPLEMENT, department_field="application__department"),
                                             status=SupplementStatus.AWAITING_APPROVAL)
            .select_related("application__item_version", "requested_by").order_by("requested_at"))


def access_supplement_for_approval(user, pk: int) -> SupplementRequest:
    request = pending_supplement_approvals(user).filter(pk=pk).first()
    if request is None:
        raise Http404(_("待批准的补正告知不存在"))
    return request


def open_count(user) -> int:
    return my_applications(user).filter(status__in=OPEN_STATUSES).count()


# ---------------------------------------------------------------- pre-fill

def _profile_values(user) -> dict[str, str]:
    """What the platform knows about the applicant, under the field names forms commonly use."""
    values: dict[str, str] = {}
    if getattr(user, "kind", "") == "citizen" and hasattr(user, "citizen"):
        for key in ("name", "applicant_name", "full_name", "contact_name"):
            values[key] = user.display_name
        for key in ("id_number", "applicant_id_number", "id_card"):
            values[key] = user.citizen.id_number
    if getattr(user, "kind", "") == "enterprise" and hasattr(user, "enterprise"):
        ent = user.enterprise
        for key in ("company_name", "enterprise_name", "entity_name", "applicant_name", "name"):
            values[key] = ent.name
        for key in ("uscc", "credit_code", "unified_social_credit_code"):
            values[key] = ent.uscc
        for key in ("legal_rep", "legal_rep_name", "legal_representative"):
            values[key] = ent.legal_rep_name
        values["legal_rep_id_number"] = ent.legal_rep_id_number
        if ent.address:
            values["address"] = ent.address
    if getattr(user, "mobile", ""):
        for key in ("mobile", "contact_mobile", "phone", "contact_phone"):
            values[key] = user.mobile
    return values


def _by_format(user) -> dict[str, str]:
    out = {}
    if hasattr(user, "citizen"):
        out["id_number"] = user.citizen.id_number
    if hasattr(user, "enterprise"):
        out["uscc"] = user.enterprise.uscc
    if getattr(user, "mobile", ""):
        out["mobile"] = user.mobile
    return out


def prefill(user, schema: dict) -> dict:
    """Initial form values: the applicant's latest earlier application, then real-name data on top."""
    props = (schema or {}).get("properties") or {}
    data: dict = {}
    latest = Application.objects.filter(applicant=user).order_by("-created_at", "-id").values_list(
        "form_data", flat=True).first() or {}
    for key in props:
        if key in latest:
            data[key] = latest[key]
    known, formats = _profile_values(user), _by_format(user)
    for key, node in props.items():
        if key in known:
            data[key] = known[key]
        elif isinstance(node, dict) and node.get("format") in formats and key not in data:
            data[key] = formats[node["format"]]
    return data


def applicant_by_identifier(identifier: str) -> User | None:
    """The active real-name user a walk-in applicant names at the window: a citizen by ID
    number, an enterprise by unified social credit code (一窗受理)."""
    code = (identifier or "").strip().upper()
    if not code:
        return None
    return User.objects.filter(Q(citizen__id_number=code) | Q(enterprise__uscc=code), is_active=True).select_related(
        "citizen", "enterprise").first()
