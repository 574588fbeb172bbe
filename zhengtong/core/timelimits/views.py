"""Console page 时限监控: open cases in the user's data scope, by live status."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.core.org.models import Department
from zhengtong.core.timelimits.models import OPEN_STATUSES, CaseStatus
from zhengtong.core.timelimits.queries import counts_by_status, visible_open_cases
from zhengtong.core.timelimits.registry import CASE_TYPES

PAGE_SIZE = 50


def monitor(request: HttpRequest) -> HttpResponse:
    try:
        return _monitor(request)
    except PermissionDenied as exc:  # a 403, not Wagtail's redirect to the dashboard
        return HttpResponseForbidden(str(exc))


def _monitor(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filters = {key: request.GET.get(key, "").strip() for key in ("status", "department", "case_type")}
    cases = visible_open_cases(request.user, today, **filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(CaseStatus.choices)
    counts = counts_by_status(request.user, today)
    in_scope = visible_open_cases(request.user, today).order_by().values("department_id")
    context = {
        "page_title": _("时限监控"), "header_icon": "time", "page": page, "today": today, "filters": filters,
        "counts": [(str(s), labels[s], counts[str(s)]) for s in OPEN_STATUSES],
        "status_labels": labels, "case_types": sorted(CASE_TYPES.values(), key=lambda s: s.code),
        "departments": Department.objects.filter(pk__in=in_scope).order_by("code"),
    }
    return render(request, "timelimits/monitor.html", context)
