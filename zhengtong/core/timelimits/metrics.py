"""Prometheus gauge: open time-limited cases by stored status."""

from __future__ import annotations

from django.db.models import Count
from prometheus_client import Gauge

OPEN_CASES = Gauge("zt_timelimits_open_cases", "Open time-limited cases", ["status"])


def refresh_case_gauges() -> None:
    from zhengtong.core.timelimits.models import OPEN_STATUSES, TimedCase

    counts = dict(TimedCase.objects.open().order_by().values_list("status").annotate(n=Count("id")))
    for status in OPEN_STATUSES:
        OPEN_CASES.labels(str(status)).set(counts.get(status, 0))
