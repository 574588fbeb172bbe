"""Console pages of the working-day calendar (系统管理 → 工作日历)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.core.calendar import actions, days
from zhengtong.core.calendar.forms import OverrideForm
from zhengtong.core.calendar.models import CalendarYear, DayOverride
from zhengtong.core.permissions.checks import require

MANAGE = "calendar.manage"


def manager_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """403 without ``calendar.manage`` (Wagtail would turn a PermissionDenied into a redirect)."""
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            require(request.user, MANAGE)
        except PermissionDenied as exc:
            return HttpResponseForbidden(str(exc))
        return view(request, *args, **kwargs)
    return wrapper


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    year = int(raw) if raw.isdigit() else timezone.localdate().year
    return min(max(year, actions.MIN_YEAR), actions.MAX_YEAR)


def _back(year: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse('calendar_console:index')}?year={year}")


@manager_only
def index(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    next_year = timezone.localdate().year + 1
    context = {
        "page_title": _("工作日历"), "header_icon": "date", "year": year,
        "prev_year": year - 1, "following_year": year + 1,
        "status": days.year_status(year), "year_row": CalendarYear.objects.filter(year=year).first(),
        "overrides": DayOverride.objects.filter(date__year=year).select_related("created_by"),
        "form": OverrideForm(initial={"is_workday": "0"}),
        "next_year": next_year, "next_year_missing": days.year_status(next_year) == "provisional",
    }
    return render(request, "calendar/index.html", context)


@require_POST
@manager_only
def add_override(request: HttpRequest) -> HttpResponse:
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return _back(_year(request))
    day = form.cleaned_data["date"]
    try:
        actions.do_set_override(actor=request.user, day=day, is_workday=form.cleaned_data["is_workday"],
                                note=form.cleaned_data["note"])
    except actions.CalendarError as exc:
        messages.error(request, str(exc))
        return _back(_year(request))
    messages.success(request, _("已保存 %(date)s 的调整") % {"date": day.isoformat()})
    return _back(day.year)


@require_POST
@manager_only
def delete_override(request: HttpRequest, pk: int) -> HttpResponse:
    override = get_object_or_404(DayOverride, pk=pk)
    actions.do_delete_override(actor=request.user, override=override)
    messages.success(request, _("已删除 %(date)s 的调整") % {"date": override.date.isoformat()})
    return _back(override.date.year)


@require_POST
@manager_only
def mark_official(request: HttpRequest, year: int) -> HttpResponse:
    official = request.POST.get("official", "1") == "1"
    try:
        actions.do_mark_year_official(actor=request.user, year=year, official=official)
    except actions.CalendarError as exc:
        messages.error(request, str(exc))
        return _back(_year(request))
    text = _("已确认 %(year)s 年为官方安排，未办结案件的期限将重新计算") if official \
        else _("已撤销 %(year)s 年的官方安排确认")
    messages.success(request, text % {"year": year})
    return _back(year)
