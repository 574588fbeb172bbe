"""Working-day calculator: /api/v1/calendar/… (public: the holiday schedule is public)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema

from zhengtong.core.calendar import days as wd

router = Router(tags=["calendar"])


class DateOut(Schema):
    date: date
    provisional: bool


class CountOut(Schema):
    days: int
    provisional: bool


class WorkdayOut(Schema):
    date: date
    workday: bool
    provisional: bool


def parse_date(raw: str | None, name: str) -> date:
    try:
        value = date.fromisoformat((raw or "").strip())
    except ValueError:
        raise ValidationError(_("参数 %(name)s 应为 YYYY-MM-DD 格式的日期") % {"name": name}) from None
    if not 1900 <= value.year <= 2200:
        raise ValidationError(_("参数 %(name)s 的年份须在 1900 至 2200 之间") % {"name": name})
    return value


def parse_days(raw: str | None) -> int:
    text = (raw or "").strip()
    if not text.lstrip("-").isdigit():
        raise ValidationError(_("参数 days 应为整数"))
    value = int(text)
    if value < 0:
        raise ValidationError(_("天数不能为负数"))
    if value > 3660:
        raise ValidationError(_("天数不能超过 3660"))
    return value


@router.get("/add-working-days", response=DateOut, auth=None, summary="起算日后第 N 个工作日")
def add_working_days(request, start: str | None = None, days: str | None = None):
    result = wd.add_working_days_info(parse_date(start, "start"), parse_days(days))
    return {"date": result.date, "provisional": result.provisional}


@router.get("/working-days-between", response=CountOut, auth=None, summary="两日之间的工作日数")
def working_days_between(request, start: str | None = None, end: str | None = None):
    a, b = parse_date(start, "start"), parse_date(end, "end")
    if abs((b - a).days) > 36_600:
        raise ValidationError(_("日期区间不能超过 100 年"))
    result = wd.working_days_between_info(a, b)
    return {"days": result.days, "provisional": result.provisional}


@router.get("/is-workday", response=WorkdayOut, auth=None, summary="是否工作日")
def is_workday(request, date: str | None = None):
    day = parse_date(date, "date")
    return {"date": day, "workday": wd.is_workday(day), "provisional": wd.is_provisional(day)}
