"""The calendar's periodic job: warn administrators before a year without an official
schedule starts to matter.

Two hooks, so the calendar depends on no other app:
- ``YEAR_SOURCES``: callables returning years that open business depends on (e.g.
  ``core.timelimits`` adds the years of open cases' provisional due dates);
- ``WARNING_HANDLERS``: callables ``handler(message: str, years: list[int])`` that deliver
  the warning (a notification app appends one that messages the system administrators).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.core.audit.log import record
from zhengtong.core.calendar import days

LOOKAHEAD_DAYS = 60

YEAR_SOURCES: list[Callable[[], Iterable[int]]] = []
WARNING_HANDLERS: list[Callable[[str, list[int]], None]] = []


def missing_years(today: date) -> list[int]:
    """Years that matter now (today + 60 days, open deadlines) but have no official schedule."""
    years = {(today + timedelta(days=LOOKAHEAD_DAYS)).year}
    for source in YEAR_SOURCES:
        years.update(source())
    return sorted(y for y in years if days.year_status(y) == "provisional")


def warning_message(years: list[int]) -> str:
    return _("%(years)s 年的法定节假日安排尚未录入：相关办理期限按周末休息暂定计算。"
             "请在“系统管理 → 工作日历”中录入调休安排并确认为官方安排。") % {
        "years": "、".join(str(y) for y in years)}


def warn_if_next_year_missing(today: date | None = None) -> str | None:
    """Run daily: audit and hand the warning to every handler; returns the message, or None."""
    years = missing_years(today or timezone.localdate())
    if not years:
        return None
    message = warning_message(years)
    with transaction.atomic():
        record("calendar.year.missing_warning", object_type="calendar.calendaryear",
               object_id=str(years[0]), after={"years": years, "message": message})
    for handler in list(WARNING_HANDLERS):
        handler(message, years)
    return message
