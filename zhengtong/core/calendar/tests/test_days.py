from __future__ import annotations

from datetime import date

import pytest

from zhengtong.core.calendar import days
from zhengtong.core.calendar.actions import do_mark_year_official, do_set_override
from zhengtong.core.calendar.models import CalendarVersion, DayOverride, new_token

D = date.fromisoformat


def test_twenty_working_days_from_25_september_2025_land_on_29_october(db):
    assert days.add_working_days(D("2025-09-25"), 20) == D("2025-10-29")
    assert days.working_days_between(D("2025-09-25"), D("2025-10-29")) == 20


def test_national_day_is_off_and_its_adjusted_weekends_are_on(db):
    assert not days.is_workday(D("2025-10-01"))
    assert not days.is_workday(D("2025-10-08"))
    assert days.is_workday(D("2025-09-28"))  # Sunday, 调休上班
    assert days.is_workday(D("2025-10-11"))  # Saturday, 调休上班


def test_zero_days_is_the_start_date_itself(db):
    assert days.add_working_days(D("2025-10-01"), 0) == D("2025-10-01")


def test_the_start_date_is_not_counted(db):
    assert days.add_working_days(D("2025-03-03"), 1) == D("2025-03-04")
    assert days.add_working_days(D("2025-04-03"), 1) == D("2025-04-07")  # across Qingming


def test_between_counts_the_half_open_interval_and_is_signed(db):
    assert days.working_days_between(D("2025-03-03"), D("2025-03-03")) == 0
    assert days.working_days_between(D("2025-03-07"), D("2025-03-10")) == 1
    assert days.working_days_between(D("2025-10-29"), D("2025-09-25")) == -20


def test_between_spans_years(db):
    assert days.working_days_between(D("2024-12-31"), D("2025-01-02")) == 1  # 1 January off


def test_subtract_is_the_inverse_of_add_on_working_days(db):
    assert days.subtract_working_days(D("2025-10-29"), 20) == D("2025-09-25")
    assert days.subtract_working_days(D("2025-10-05"), 0) == D("2025-09-30")  # a holiday falls back


def test_next_working_day_skips_the_holiday(db):
    assert days.next_working_day(D("2025-10-01")) == D("2025-10-09")
    assert days.next_working_day(D("2025-10-09")) == D("2025-10-09")


@pytest.mark.parametrize("n", [-1, 10**9])
def test_it_rejects_negative_or_absurd_day_counts(db, n):
    with pytest.raises(ValueError):
        days.add_working_days(D("2025-01-01"), n)


def test_years_after_the_library_are_provisional_with_weekends_off(db):
    assert days.library_covers(2026) and not days.library_covers(2027)
    assert days.year_status(2027) == "provisional"
    assert days.is_workday(D("2027-01-01"))  # a Friday: no holiday known yet
    assert not days.is_workday(D("2027-01-02"))
    result = days.add_working_days_info(D("2026-12-25"), 10)
    assert result.provisional
    assert not days.add_working_days_info(D("2025-09-25"), 20).provisional


def test_overrides_and_the_official_mark_apply_to_uncovered_years(db, sysadmin):
    do_set_override(actor=sysadmin, day=D("2027-01-01"), is_workday=False, note="元旦")
    assert not days.is_workday(D("2027-01-01"))
    do_mark_year_official(actor=sysadmin, year=2027)
    assert days.year_status(2027) == "official"
    assert not days.add_working_days_info(D("2026-12-25"), 10).provisional


def test_an_override_beats_the_library(db, sysadmin):
    do_set_override(actor=sysadmin, day=D("2025-10-08"), is_workday=True, note="本地调整")
    assert days.is_workday(D("2025-10-08"))


def test_the_warm_calendar_costs_no_queries(db, django_assert_num_queries):
    days.add_working_days(D("2025-09-25"), 20)
    with django_assert_num_queries(0):
        for _ in range(100):
            days.add_working_days(D("2025-09-25"), 20)
            days.working_days_between(D("2025-01-01"), D("2025-12-31"))


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """These tests write behind the calendar's back, as another process would."""
    days.invalidate()
    yield
    days.invalidate()


def _write_as_another_process(day: date, is_workday: bool) -> None:
    DayOverride.objects.create(date=day, is_workday=is_workday, note="elsewhere")
    CalendarVersion.objects.update_or_create(pk=1, defaults={"token": new_token()})


def test_another_process_write_is_seen_at_the_next_request(db, client):
    assert days.is_workday(D("2025-03-04"))
    _write_as_another_process(D("2025-03-04"), False)
    assert days.is_workday(D("2025-03-04"))  # within the recheck interval: still the cached calendar
    client.get("/healthz")  # any request marks the calendar for a version check
    assert not days.is_workday(D("2025-03-04"))


def test_another_process_write_is_seen_after_the_recheck_interval(db, monkeypatch):
    assert days.is_workday(D("2025-03-05"))
    _write_as_another_process(D("2025-03-05"), False)
    monkeypatch.setattr(days, "RECHECK_SECONDS", 0.0)
    assert not days.is_workday(D("2025-03-05"))


def test_a_rolled_back_write_does_not_linger(db, sysadmin):
    from django.db import transaction

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        do_set_override(actor=sysadmin, day=D("2025-03-06"), is_workday=False)
        assert not days.is_workday(D("2025-03-06"))
        raise Abort
    assert days.is_workday(D("2025-03-06"))
