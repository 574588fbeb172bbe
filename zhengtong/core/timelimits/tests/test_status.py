from __future__ import annotations

from datetime import date, timedelta

import pytest

from zhengtong.core.timelimits import registry
from zhengtong.core.timelimits.actions import (
    open_case,
    pause_case,
    refresh_statuses,
    sync_yellow_thresholds,
)
from zhengtong.core.timelimits.models import CaseStatus, TimedCase
from zhengtong.core.timelimits.tasks import refresh_daily

D = date.fromisoformat
registry.register_case_type("test.status", "状态测试", default_limit_days=20)


@pytest.fixture
def cases(city):
    made = []
    for i in range(30):
        made.append(open_case(case_type="test.status", object_type="t", object_id=str(i), title=f"案件{i}",
                              department=city.dept("approval"), started_on=D("2025-03-03") + timedelta(days=i),
                              today=D("2025-03-03")))
    return made


def test_refresh_sets_every_status_in_a_few_statements(db, cases, django_assert_max_num_queries):
    today = D("2025-04-10")
    from django.db import connection

    # savepoint, three UPDATEs, audit tail + insert, release (+ the audit advisory lock on PostgreSQL)
    with django_assert_max_num_queries(8 if connection.vendor == "postgresql" else 7):
        moved = refresh_statuses(today)
    assert sum(moved.values()) > 0
    for case in TimedCase.objects.with_live_status(today):
        assert case.status == case.live_status
        expected = "red" if case.due_date < today else "yellow" if case.yellow_from <= today else "normal"
        assert case.status == expected
    assert {c.status for c in TimedCase.objects.all()} == {"red", "yellow", "normal"}


def test_refresh_leaves_paused_and_finished_cases_alone(db, cases):
    pause_case(cases[0], on=D("2025-03-04"), reason="补正")
    refresh_statuses(D("2025-12-31"))
    assert TimedCase.objects.get(pk=cases[0].pk).status == CaseStatus.PAUSED


def test_a_second_refresh_on_the_same_day_writes_nothing(db, cases, django_assert_max_num_queries):
    refresh_statuses(D("2025-04-10"))
    with django_assert_max_num_queries(5):  # savepoint, three UPDATEs, release
        assert sum(refresh_statuses(D("2025-04-10")).values()) == 0


def test_an_extended_case_goes_back_from_red_to_normal(db, cases):
    refresh_statuses(D("2025-04-30"))
    TimedCase.objects.filter(pk=cases[0].pk).update(due_date=D("2025-06-30"), yellow_from=D("2025-06-26"))
    refresh_statuses(D("2025-04-30"))
    assert TimedCase.objects.get(pk=cases[0].pk).status == CaseStatus.NORMAL


def test_changing_a_threshold_recomputes_yellow_from(db, cases, settings):
    original = registry.CASE_TYPES["test.status"]
    registry.register_case_type("test.status", "状态测试", default_limit_days=20, yellow_days=5)
    try:
        assert sync_yellow_thresholds(D("2025-03-03")) == 30
        case = TimedCase.objects.get(pk=cases[0].pk)
        assert case.yellow_days == 5 and case.yellow_from == D("2025-03-24")  # 5 working days before 31 March
        assert sync_yellow_thresholds(D("2025-03-03")) == 0
    finally:
        registry.CASE_TYPES["test.status"] = original


def test_the_default_threshold_follows_the_setting(db, cases, settings):
    settings.ZT_YELLOW_DAYS = 3
    refresh_daily(D("2025-03-03"))
    assert TimedCase.objects.get(pk=cases[0].pk).yellow_from == D("2025-03-26")
