"""Deadline arithmetic of a time-limited case, as pure functions of its facts.

- Working-day limits: the due date is the (limit + extensions + paused)-th working day
  after the start date (the start date itself is not counted).
- Natural-day limits: start + (limit + extensions + paused) calendar days; a due date on a
  day off moves to the next working day (期间届满的最后一日是节假日的，以其后第一个工作日为期满日).
- A pause from ``s`` to ``e`` lasts ``working_days_between(s, e)`` working days (the case's
  own unit for natural-day limits): the day it resumes counts as paused, the day it began
  does not, so a same-day pause and resume costs nothing.
- ``yellow_from`` is the working day from which at most ``yellow_days`` working days
  remain until the due date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from zhengtong.core.calendar import days

WORKING, NATURAL = "working", "natural"


@dataclass(frozen=True)
class Deadline:
    due_date: date
    provisional: bool
    yellow_from: date
    paused_days: int
    statutory_due_date: date | None = None


def pause_length(unit: str, start: date, end: date) -> int:
    if end <= start:
        return 0
    return days.working_days_between(start, end) if unit == WORKING else (end - start).days


def due_date(started_on: date, total_days: int, unit: str) -> date:
    if unit == WORKING:
        return days.add_working_days(started_on, total_days)
    return days.next_working_day(started_on + timedelta(days=total_days))


def compute(*, started_on: date, limit_days: int, unit: str, extended_days: int = 0,
            pauses: Iterable[tuple[date, date]] = (), yellow_days: int,
            statutory_days: int | None = None) -> Deadline:
    """Pauses (补正, special steps such as hearings or expert review) stop both clocks;
    an approved extension extends both."""
    paused = sum(pause_length(unit, start, end) for start, end in pauses)
    due = due_date(started_on, limit_days + extended_days + paused, unit)
    statutory = (due_date(started_on, statutory_days + extended_days + paused, unit)
                 if statutory_days is not None else None)
    return Deadline(due_date=due, provisional=days.span_provisional(started_on, max(due, statutory or due)),
                    yellow_from=days.subtract_working_days(due, yellow_days), paused_days=paused,
                    statutory_due_date=statutory)


def status_on(due: date, yellow_from: date, today: date) -> str:
    """The running status on ``today`` (mirrors ``models.live_status_expression``)."""
    if due < today:
        return "red"
    return "yellow" if yellow_from <= today else "normal"
