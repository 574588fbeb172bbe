"""Time-limit status refresh: set-based UPDATEs over N open cases.

Fills N open cases (due dates spread from 30 days ago to 90 days ahead, all stored as
"normal"), then times ``refresh_statuses``: the first run (about a quarter of the rows
change), a repeat on the same day (nothing changes), the next day (the daily delta), and
the live-status count that the monitor page and API run. Target: < 5 s for 1,000,000.
Usage:
    python bench/bench_case_status.py [--cases 1000000]
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta

import _django

_django.setup("case-status")

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from zhengtong.core.calendar import days  # noqa: E402
from zhengtong.core.org.models import Department, Region  # noqa: E402
from zhengtong.core.timelimits.actions import refresh_statuses  # noqa: E402
from zhengtong.core.timelimits.models import TimedCase  # noqa: E402

TODAY = date(2025, 6, 3)
COLUMNS = ("case_type", "object_type", "object_id", "title", "department_id", "region_id", "started_on",
           "limit_days", "limit_unit", "extended_days", "paused_days", "due_date", "due_provisional",
           "yellow_days", "yellow_from", "finished_late", "status", "created_at", "updated_at")


def _department() -> Department:
    region, _ = Region.objects.get_or_create(code="369900", defaults={"name": "基准市", "level": "city"})
    dept, _ = Department.objects.get_or_create(code="BENCH-1", defaults={"name": "基准部门", "region": region})
    return dept


def _fill(n: int, batch: int = 20_000) -> None:
    TimedCase.objects.all().delete()
    dept, now = _department(), timezone.now()
    dues = [TODAY + timedelta(days=k) for k in range(-30, 91)]
    yellow = {d: days.subtract_working_days(d, 2) for d in dues}
    sql = (f"INSERT INTO {TimedCase._meta.db_table} ({', '.join(COLUMNS)}) "
           f"VALUES ({', '.join(['%s'] * len(COLUMNS))})")
    with connection.cursor() as cursor:
        for start in range(0, n, batch):
            rows = []
            for i in range(start, min(n, start + batch)):
                due = dues[i % len(dues)]
                rows.append(("bench.case", "bench.object", str(i), f"基准案件{i}", dept.pk, dept.region_id,
                             due - timedelta(days=28), 20, "working", 0, 0, due, False, 2, yellow[due], False,
                             "normal", now, now))
            with transaction.atomic():
                cursor.executemany(sql, rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _time_refresh(label: str, today: date) -> None:
    with _django.Timer() as t:
        moved = refresh_statuses(today)
    _django.report("case-status", db=_django.vendor(), run=label, refresh_s=t.seconds,
                   moved=sum(moved.values()), **{f"to_{k}": v for k, v in moved.items()})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    n = parser.parse_args().cases
    with _django.Timer() as fill:
        _fill(n)
    _django.report("case-status", db=_django.vendor(), n=n, fill_s=fill.seconds)
    _time_refresh("first", TODAY)
    _time_refresh("same-day", TODAY)
    _time_refresh("next-day", TODAY + timedelta(days=1))
    with _django.Timer() as count:
        rows = list(TimedCase.objects.open().with_live_status(TODAY + timedelta(days=1)).order_by()
                    .values("live_status").annotate(n=Count("id")))
    _django.report("case-status", db=_django.vendor(), run="live-count", count_s=count.seconds,
                   **{r["live_status"]: r["n"] for r in rows})
    TimedCase.objects.all().delete()


if __name__ == "__main__":
    main()
