"""Figures for the ECharts dashboards, all GROUP BY queries over the user's scope."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import translation

from zhengtong.core.permissions.checks import require, scope_q
from zhengtong.core.timelimits.models import OPEN_STATUSES, RUNNING_STATUSES, CaseStatus, TimedCase
from zhengtong.supervision import scorecards
from zhengtong.supervision.models import CaseOutcome
from zhengtong.supervision.queries import MonitorFilters, monitor_counts
from zhengtong.supervision.registry import MONITOR

TOP_ITEMS = 10


def _months(today: date) -> list[date]:
    months = [scorecards.month_start(today)]
    for _ in range(11):
        months.insert(0, scorecards.previous_month(months[0]))
    return months


def _key(value) -> str:
    return f"{value:%Y-%m}" if value else ""


def trend(user, today: date) -> dict:
    months = _months(today)
    scope = scope_q(user, MONITOR)
    # Counted per day (at most 366 groups) and folded into months here: grouping by the
    # indexed date itself is read from the ``started_on`` index alone on both databases,
    # where a month expression (TruncMonth, or a text prefix) is computed from every row.
    opened = (TimedCase.objects.filter(scope, started_on__gte=months[0]).order_by()
              .values("started_on").annotate(n=Count("started_on")))
    # Count a column of the covering index, not the key, so SQLite never touches the table.
    finished = (CaseOutcome.objects.filter(scope, month__gte=months[0]).order_by().values("month")
                .annotate(n=Count("month"), late=Count("month", filter=Q(late=True))))
    o: Counter[str] = Counter()
    for r in opened:
        o[_key(r["started_on"])] += r["n"]
    f = {_key(r["month"]): (r["n"], r["late"]) for r in finished}
    keys = [_key(m) for m in months]
    return {"months": keys, "opened": [o.get(k, 0) for k in keys], "finished": [f.get(k, (0, 0))[0] for k in keys],
            "overdue": [f.get(k, (0, 0))[1] for k in keys]}


def top_overdue_items(user, today: date) -> list[dict]:
    """Items with the most overdue cases: open past due now + finished late in the last 12 months."""
    scope = scope_q(user, MONITOR)
    label = "subject_name"
    open_red = (TimedCase.objects.filter(scope, status__in=RUNNING_STATUSES, due_date__lt=today).exclude(subject_name="")
                .order_by().values(label).annotate(n=Count("pk")).order_by("-n")[:50])
    late = (CaseOutcome.objects.filter(scope, late=True, month__gte=_months(today)[0]).exclude(subject_name="")
            .order_by().values(label).annotate(n=Count("month")).order_by("-n")[:50])
    total: Counter[str] = Counter()
    for r in [*open_red, *late]:
        total[r[label]] += r["n"]
    return [{"name": name, "value": n} for name, n in total.most_common(TOP_ITEMS)]


CACHE_SECONDS = 300


def data(user, today: date) -> dict:
    """The dashboard's JSON, cached per user for five minutes: the 12-month trend and the
    item ranking read every case of the year, which a screen refreshing each minute need not repeat."""
    require(user, MONITOR)
    # per language too: the statuses' names are in the reader's language
    key = f"supervision:dashboard:{user.pk}:{today.isoformat()}:{translation.get_language()}"
    cached = cache.get(key)
    if cached is None:
        cached = _data(user, today)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def _data(user, today: date) -> dict:
    counts = monitor_counts(user, today, MonitorFilters())
    labels = dict(CaseStatus.choices)
    rows, _stored = scorecards.for_user(user, today, today)
    return {
        "today": today.isoformat(),
        "status": [{"code": str(s), "name": str(labels[s]), "value": counts[str(s)]} for s in OPEN_STATUSES],
        "statutory_over": counts["statutory_over"],
        "trend": trend(user, today),
        "ranking": [{"name": r.department.name, "score": float(r.score)} for r in rows[:15]],
        "top_overdue_items": top_overdue_items(user, today),
    }
