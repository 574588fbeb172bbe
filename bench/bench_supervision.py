"""E-supervision figures over many cases: the monitor page's data and the monthly scorecards.

Fills N open and M finished time-limited cases (raw executemany; finished ones with their
``CaseOutcome`` rows, 2 % rated), across 40 departments in 4 regions, then times what the
monitor page runs for a city-wide supervisor (counts by status + the first page), with and
without filters, and the scorecard computation of last month (live and stored).
Targets: monitor < 1 s, scorecards < 5 s (1,000,000 open, 5,000,000 finished).
Usage:
    python bench/bench_supervision.py [--open 1000000] [--finished 5000000] [--reuse]
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta

import _django

_django.setup("supervision")

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from zhengtong.core.accounts.models import User  # noqa: E402
from zhengtong.core.calendar import days  # noqa: E402
from zhengtong.core.org.models import Department, Region  # noqa: E402
from zhengtong.core.permissions.models import Grant, Role, Scope  # noqa: E402
from zhengtong.core.timelimits.models import TimedCase  # noqa: E402
from zhengtong.supervision import dashboard, scorecards  # noqa: E402
from zhengtong.supervision.models import CaseOutcome, Rating  # noqa: E402
from zhengtong.supervision.queries import MonitorFilters, monitor_counts, monitor_page  # noqa: E402

TODAY = date(2025, 6, 3)
BATCH = 20_000
CASE_COLUMNS = ("id", "case_type", "object_type", "object_id", "title", "department_id", "region_id",
                "started_on", "limit_days", "limit_unit", "statutory_days", "statutory_due_date", "subject_code",
                "subject_name", "extended_days", "paused_days", "due_date", "due_provisional", "yellow_days",
                "yellow_from", "paused_since", "finished_on", "finished_late", "status", "created_at",
                "updated_at")
OUTCOME_COLUMNS = ("case_id", "case_type", "department_id", "subject_name", "finished_on", "month", "late",
                   "statutory_late", "working_days_used", "limit_days", "supplemented")
RATING_COLUMNS = ("case_id", "party_id", "department_id", "subject_name", "level", "overall", "efficiency",
                  "guide_accuracy", "convenience", "usability", "comment", "real_name", "rated_on", "excluded",
                  "excluded_reason", "created_at")
ITEMS = [(f"ITEM-{k:03d}", f"基准事项{k:03d}") for k in range(200)]


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"


def _org() -> list[Department]:
    city = Region.objects.create(code="369900", name="基准市", level="city")
    regions = [city] + [Region.objects.create(code=f"3699{k:02d}", name=f"基准县{k}", level="county", parent=city)
                        for k in range(1, 4)]
    depts = []
    for k in range(40):
        region = regions[k % 4]
        parent = depts[k - 8] if k >= 8 and k % 8 == 0 else None
        depts.append(Department.objects.create(code=f"BENCH-{k:02d}", name=f"基准部门{k:02d}", region=region,
                                               parent=parent))
    return depts


def _supervisor(dept: Department) -> User:
    user = User.objects.create(username="bench.supervisor", kind="staff", department=dept, display_name="监察")
    Grant.objects.create(user=user, role=Role.objects.get(code="supervisor"), scope=Scope.CITY)
    return user


def _open_row(i: int, dept: Department, yellow: dict, now) -> tuple:
    due = TODAY + timedelta(days=i % 121 - 30)
    code, name = ITEMS[i % len(ITEMS)]
    paused = i % 33 == 0
    status = ("paused" if paused else "red" if due < TODAY else "yellow" if yellow[due] <= TODAY else "normal")
    statutory_due = due + timedelta(days=(i % 4) * 7)
    return (i, "bench.case", "bench", str(i), f"基准案件{i}", dept.pk, dept.region_id, due - timedelta(days=28),
            20, "working", 30, statutory_due, code, name, 0, 0, due, False, 2, yellow[due],
            due - timedelta(days=10) if paused else None, None, False, status, now, now)


def _finished_rows(i: int, dept: Department, now) -> tuple[tuple, tuple]:
    started = TODAY - timedelta(days=5 + i % 360)
    used = 3 + i % 17
    finished = started + timedelta(days=used * 7 // 5)
    late = i % 12 == 0
    code, name = ITEMS[i % len(ITEMS)]
    case = (i, "bench.case", "bench", str(i), f"基准办结{i}", dept.pk, dept.region_id, started, 20, "working", 30,
            started + timedelta(days=42), code, name, 0, 0, finished - timedelta(days=1 if late else -3), False, 2,
            started, None, finished, late, "finished", now, now)
    outcome = (i, "bench.case", dept.pk, name, finished, finished.replace(day=1), late, False, used, 20,
               i % 10 == 0)
    return case, outcome


def _fill(n_open: int, n_finished: int, depts: list[Department], party: User) -> None:
    now = timezone.now()
    dues = [TODAY + timedelta(days=k) for k in range(-30, 91)]
    yellow = {d: days.subtract_working_days(d, 2) for d in dues}
    case_sql = _insert_sql(TimedCase._meta.db_table, CASE_COLUMNS)
    with connection.cursor() as cursor:
        for start in range(1, n_open + 1, BATCH):
            rows = [_open_row(i, depts[i % 40], yellow, now) for i in range(start, min(n_open + 1, start + BATCH))]
            with transaction.atomic():
                cursor.executemany(case_sql, rows)
        outcome_sql = _insert_sql(CaseOutcome._meta.db_table, OUTCOME_COLUMNS)
        rating_sql = _insert_sql(Rating._meta.db_table, RATING_COLUMNS)
        first = n_open + 1
        rng = random.Random(7)
        for start in range(first, first + n_finished, BATCH):
            cases, outcomes, ratings = [], [], []
            for i in range(start, min(first + n_finished, start + BATCH)):
                dept = depts[i % 40]
                case, outcome = _finished_rows(i, dept, now)
                cases.append(case)
                outcomes.append(outcome)
                if i % 50 == 0:
                    level = rng.choice((5, 5, 5, 4, 4, 3, 2, 1))
                    ratings.append((i, party.pk, dept.pk, outcome[3], level, level, level, level, level, level,
                                    "", True, outcome[4], False, "", now))
            with transaction.atomic():
                cursor.executemany(case_sql, cases)
                cursor.executemany(outcome_sql, outcomes)
                cursor.executemany(rating_sql, ratings)
        # What autovacuum does after a bulk load (PostgreSQL ≥ 13 vacuums insert-only tables
        # too): statistics, and the visibility map that lets the monitor count from indexes.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _time(label: str, fn, repeat: int = 3) -> object:
    best, result = None, None
    for _ in range(repeat):
        with _django.Timer() as t:
            result = fn()
        best = t.seconds if best is None else min(best, t.seconds)
    _django.report("supervision", db=_django.vendor(), run=label, best_s=best)
    return result


def _monitor(user: User, filters: MonitorFilters):
    def run():
        counts = monitor_counts(user, TODAY, filters)
        rows, _has_next = monitor_page(user, TODAY, filters, 1)
        return counts, [(r.pk, r.department.name) for r in rows]
    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--open", type=int, default=1_000_000)
    parser.add_argument("--finished", type=int, default=5_000_000)
    parser.add_argument("--reuse", action="store_true",
                        help="time against the cases an earlier run left in this PostgreSQL database")
    args = parser.parse_args()
    if args.reuse:
        user = User.objects.get(username="bench.supervisor")
        _django.report("supervision", db=_django.vendor(), reused=TimedCase.objects.count())
    else:
        depts = _org()
        user = _supervisor(depts[0])
        party = User.objects.create(username="bench.citizen", kind="citizen", display_name="评价人")
        with _django.Timer() as fill:
            _fill(args.open, args.finished, depts, party)
        _django.report("supervision", db=_django.vendor(), open=args.open, finished=args.finished,
                       fill_s=fill.seconds)
    counts, _rows = _time("monitor-all", _monitor(user, MonitorFilters()))
    _django.report("supervision", **counts)
    _time("monitor-red", _monitor(user, MonitorFilters(status="red")))
    _time("monitor-department", _monitor(user, MonitorFilters(department="BENCH-07")))
    _time("monitor-region", _monitor(user, MonitorFilters(region="369902")))
    _time("monitor-region-item", _monitor(user, MonitorFilters(region="369902", subject="ITEM-042")))
    _time("monitor-statutory", _monitor(user, MonitorFilters(statutory=True)))
    _time("monitor-finished-page", lambda: monitor_page(user, TODAY, MonitorFilters(status="finished"), 1))
    last_month = scorecards.previous_month(scorecards.month_start(TODAY))
    rows = _time("scorecards-live", lambda: scorecards.compute(last_month, TODAY))
    _django.report("supervision", departments=len(rows), finished_last_month=sum(r.finished for r in rows))
    _time("scorecards-store", lambda: scorecards.compute_scorecards(last_month, TODAY), repeat=1)
    _time("dashboard-data-uncached", lambda: dashboard._data(user, TODAY), repeat=1)


if __name__ == "__main__":
    main()
