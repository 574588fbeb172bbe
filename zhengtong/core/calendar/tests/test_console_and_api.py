from __future__ import annotations

from datetime import date

import time_machine

from zhengtong.core.calendar.models import CalendarYear, DayOverride
from zhengtong.testing.personas import login_staff


def test_console_page_is_forbidden_without_calendar_manage(client, clerk):
    login_staff(client, clerk)
    assert client.get("/console/calendar/").status_code == 403
    assert client.post("/console/calendar/years/2027/official/").status_code == 403
    assert not CalendarYear.objects.exists()


@time_machine.travel("2026-11-15 09:00 +0800", tick=False)
def test_console_shows_the_missing_next_year_banner(client, sysadmin):
    login_staff(client, sysadmin)
    page = client.get("/console/calendar/?year=2027").content.decode()
    assert 'data-testid="next-year-banner"' in page and "2027" in page


@time_machine.travel("2026-11-15 09:00 +0800", tick=False)
def test_console_adds_and_deletes_overrides_and_marks_the_year(client, sysadmin):
    login_staff(client, sysadmin)
    response = client.post("/console/calendar/overrides/add/",
                           {"date": "2027-01-01", "is_workday": "0", "note": "元旦", "year": "2027"})
    assert response.status_code == 302
    override = DayOverride.objects.get(date=date(2027, 1, 1))
    assert "元旦" in client.get("/console/calendar/?year=2027").content.decode()
    assert client.post(f"/console/calendar/overrides/{override.pk}/delete/").status_code == 302
    assert not DayOverride.objects.exists()
    assert client.post("/console/calendar/years/2027/official/", {"official": "1"}).status_code == 302
    assert CalendarYear.objects.get(year=2027).official
    page = client.get("/console/calendar/?year=2027").content.decode()
    assert 'data-testid="next-year-banner"' not in page


def test_console_rejects_a_bad_date_with_a_message(client, sysadmin):
    login_staff(client, sysadmin)
    response = client.post("/console/calendar/overrides/add/", {"date": "明天", "is_workday": "0"}, follow=True)
    assert "请输入有效日期" in response.content.decode()
    assert not DayOverride.objects.exists()


def test_api_adds_working_days(client, db):
    response = client.get("/api/v1/calendar/add-working-days", {"start": "2025-09-25", "days": "20"})
    assert response.status_code == 200
    assert response.json() == {"date": "2025-10-29", "provisional": False}


def test_api_marks_2027_results_provisional(client, db):
    response = client.get("/api/v1/calendar/add-working-days", {"start": "2026-12-25", "days": "10"})
    assert response.json()["provisional"] is True


def test_api_counts_working_days_between(client, db):
    response = client.get("/api/v1/calendar/working-days-between", {"start": "2025-09-25", "end": "2025-10-29"})
    assert response.json() == {"days": 20, "provisional": False}


def test_api_tells_whether_a_day_is_a_working_day(client, db):
    response = client.get("/api/v1/calendar/is-workday", {"date": "2025-09-28"})
    assert response.json() == {"date": "2025-09-28", "workday": True, "provisional": False}


def test_api_rejects_a_non_date_in_chinese(client, db):
    response = client.get("/api/v1/calendar/add-working-days", {"start": "25/09/2025", "days": "3"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "YYYY-MM-DD" in response.json()["message"] and "日期" in response.json()["message"]


def test_api_rejects_negative_days_in_chinese(client, db):
    response = client.get("/api/v1/calendar/add-working-days", {"start": "2025-09-25", "days": "-3"})
    assert response.status_code == 400
    assert response.json()["message"] == "天数不能为负数"


def test_api_rejects_missing_parameters(client, db):
    assert client.get("/api/v1/calendar/is-workday").status_code == 400
    assert client.get("/api/v1/calendar/add-working-days", {"start": "2025-09-25", "days": "x"}).status_code == 400
