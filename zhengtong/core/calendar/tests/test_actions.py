from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.calendar import tasks
from zhengtong.core.calendar.actions import (
    CalendarError,
    do_delete_override,
    do_mark_year_official,
    do_set_override,
)
from zhengtong.core.calendar.models import CalendarYear, DayOverride
from zhengtong.core.timelimits.actions import open_case
from zhengtong.core.timelimits.models import TimedCase
from zhengtong.core.timelimits.registry import register_case_type

D = date.fromisoformat
register_case_type("test.calendar", "日历测试", default_limit_days=20)


def _open(city, started: str, limit: int = 20) -> TimedCase:
    return open_case(case_type="test.calendar", object_type="test.thing", object_id="1", title="测试事项",
                     department=city.dept("approval"), started_on=D(started), limit_days=limit,
                     today=D(started))


def test_only_calendar_managers_may_change_the_calendar(db, clerk):
    with pytest.raises(PermissionDenied):
        do_set_override(actor=clerk, day=D("2027-01-01"), is_workday=False)
    with pytest.raises(PermissionDenied):
        do_mark_year_official(actor=clerk, year=2027)


def test_setting_an_override_is_audited(db, sysadmin):
    override = do_set_override(actor=sysadmin, day=D("2027-02-08"), is_workday=False, note="春节")
    entry = AuditEntry.objects.get(action="calendar.override.set")
    assert entry.actor_id == sysadmin.pk and entry.after["is_workday"] is False
    do_set_override(actor=sysadmin, day=D("2027-02-08"), is_workday=True, note="改为上班")
    assert DayOverride.objects.get().is_workday is True
    do_delete_override(actor=sysadmin, override=override)
    assert not DayOverride.objects.exists()
    assert AuditEntry.objects.filter(action="calendar.override.deleted").count() == 1


def test_it_refuses_years_out_of_range(db, sysadmin):
    with pytest.raises(CalendarError):
        do_mark_year_official(actor=sysadmin, year=1999)


def test_marking_a_year_official_is_audited_and_idempotent(db, sysadmin):
    do_mark_year_official(actor=sysadmin, year=2027)
    do_mark_year_official(actor=sysadmin, year=2027)
    row = CalendarYear.objects.get(year=2027)
    assert row.official and row.marked_by == sysadmin
    assert AuditEntry.objects.filter(action="calendar.year.official").count() == 1


def test_open_deadlines_are_recomputed_when_2027_is_entered(db, city, sysadmin,
                                                            django_capture_on_commit_callbacks):
    case = _open(city, "2026-12-21", 10)  # 22–25, 28–31 Dec, then 1 and 4 Jan 2027
    assert case.due_date == D("2027-01-04") and case.due_provisional
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        do_set_override(actor=sysadmin, day=D("2027-01-01"), is_workday=False, note="元旦")
    assert len(callbacks) >= 1
    case.refresh_from_db()
    assert case.due_date == D("2027-01-05") and case.due_provisional
    with django_capture_on_commit_callbacks(execute=True):
        do_mark_year_official(actor=sysadmin, year=2027)
    case.refresh_from_db()
    assert case.due_date == D("2027-01-05") and not case.due_provisional
    assert AuditEntry.objects.filter(action="timelimits.case.recomputed", object_id=str(case.pk)).count() == 2


def test_cases_outside_the_changed_date_are_left_alone(db, city, sysadmin, django_capture_on_commit_callbacks):
    case = _open(city, "2025-03-03")
    with django_capture_on_commit_callbacks(execute=True):
        do_set_override(actor=sysadmin, day=D("2025-06-03"), is_workday=False)
    assert not AuditEntry.objects.filter(action="timelimits.case.recomputed", object_id=str(case.pk)).exists()


@time_machine.travel("2026-11-15 09:00 +0800", tick=False)
def test_it_warns_when_next_year_is_near_and_missing(db, sysadmin):
    heard: list[tuple[str, list[int]]] = []
    tasks.WARNING_HANDLERS.append(lambda message, years: heard.append((message, years)))
    try:
        message = tasks.warn_if_next_year_missing()
        assert message and "2027" in message
        assert heard == [(message, [2027])]
        assert AuditEntry.objects.filter(action="calendar.year.missing_warning").count() == 1
        do_mark_year_official(actor=sysadmin, year=2027)
        assert tasks.warn_if_next_year_missing() is None
    finally:
        tasks.WARNING_HANDLERS.pop()


@time_machine.travel("2026-06-01 09:00 +0800", tick=False)
def test_it_warns_early_when_an_open_deadline_is_provisional(db, city):
    assert tasks.warn_if_next_year_missing() is None
    _open(city, "2026-06-01", 200)
    assert "2027" in tasks.warn_if_next_year_missing()
