"""Scoped reads of time-limited cases."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Q

from zhengtong.core.permissions.checks import require, scope_q
from zhengtong.core.timelimits.models import OPEN_STATUSES, CaseStatus, TimedCase, TimedCaseQuerySet

VIEW = "timelimits.case.view"


def visible_open_cases(user, today: date, *, status: str = "", department: str = "",
                       case_type: str = "") -> TimedCaseQuerySet:
    """Open cases in ``user``'s data scope, with ``live_status``; 403 without the permission."""
    require(user, VIEW)
    qs = (TimedCase.objects.open().filter(scope_q(user, VIEW)).with_live_status(today)
          .select_related("department", "handler"))
    if status:
        qs = qs.filter(live_status=status)
    if department:
        qs = qs.filter(department__code=department)
    if case_type:
        qs = qs.filter(case_type=case_type)
    return qs.order_by("due_date", "id")


def counts_by_status(user, today: date) -> dict[str, int]:
    """How many open cases in scope are normal / yellow / red / paused today."""
    require(user, VIEW)
    rows = (TimedCase.objects.open().filter(scope_q(user, VIEW)).with_live_status(today)
            .order_by().values("live_status").annotate(n=Count("id")))
    counts = {str(s): 0 for s in OPEN_STATUSES}
    counts.update({row["live_status"]: row["n"] for row in rows})
    return counts


def affected_by_calendar(dates: Iterable[date], years: Iterable[int]) -> TimedCaseQuerySet:
    """Open cases whose deadline may move when ``dates`` change or ``years`` are (un)marked official."""
    q = Q(pk__in=[])
    for d in dates:
        q |= Q(started_on__lt=d) & (Q(due_date__gte=d) | Q(status=CaseStatus.PAUSED) | Q(pauses__ended_on__gte=d))
    for y in years:
        q |= Q(due_provisional=True) | Q(started_on__lte=date(y, 12, 31), due_date__gte=date(y, 1, 1))
    ids = TimedCase.objects.open().filter(q).values("pk")
    return TimedCase.objects.filter(pk__in=ids)


def provisional_due_years() -> list[int]:
    """Years of open cases' provisional due dates (for the calendar's missing-year warning)."""
    return sorted({d.year for d in TimedCase.objects.open().filter(due_provisional=True)
                   .dates("due_date", "year")})
