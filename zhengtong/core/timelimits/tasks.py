"""Background work of the time-limit monitor."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task

from zhengtong.core.timelimits.actions import (
    recompute_deadlines,
    refresh_statuses,
    sync_yellow_thresholds,
)
from zhengtong.core.timelimits.queries import affected_by_calendar


@task()
def recompute_after_calendar_change(dates: list[str], years: list[int]) -> int:
    """Enqueued on commit of a calendar change; idempotent (recomputes from the facts)."""
    affected = affected_by_calendar([date.fromisoformat(d) for d in dates], years)
    return recompute_deadlines(affected)


def refresh_daily(today: date | None = None) -> dict[str, int]:
    """The daily job (listed by the jobs app's schedule): thresholds, then statuses."""
    today = today or timezone.localdate()
    sync_yellow_thresholds(today)
    return refresh_statuses(today)
