"""Working-day arithmetic (工作日), pure functions over an in-memory calendar.

Sources, in order of precedence: an administrator's ``DayOverride`` for the date; the
State Council schedule carried by ``chinese_calendar`` (2004–2026 in 1.11, which raises
for later years); otherwise Monday–Friday. A date is *provisional* when its year is not
covered by the library and no administrator has marked the year's schedule official.

Conventions (the legal rule 期间开始之日不计算在内):
- ``add_working_days(d, n)`` is the n-th working day after ``d``; ``d`` itself is not
  counted, and ``n = 0`` returns ``d`` unchanged (a same-day limit), so that
  ``working_days_between(d, add_working_days(d, n)) == n`` always holds.
- ``working_days_between(a, b)`` counts working days in ``(a, b]``; negative when b < a.

The calendar is loaded once per process and reloaded when the row token in
``CalendarVersion`` changes; the token is checked at the start of each request and task,
and otherwise at most every ``RECHECK_SECONDS``, so a hot loop costs no queries.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

import chinese_calendar

RECHECK_SECONDS = 2.0
MAX_DAYS = 36_600  # guards loops against absurd input (100 years)


@dataclass(frozen=True)
class Dated:
    date: date
    provisional: bool


@dataclass(frozen=True)
class Counted:
    days: int
    provisional: bool


@cache
def library_covers(year: int) -> bool:
    """Does ``chinese_calendar`` carry the official schedule of ``year``?"""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@dataclass
class _Year:
    start: int  # ordinal of 1 January
    end: int  # ordinal of 1 January of the next year
    flags: bytes  # 1 = working day, indexed by ordinal - start


@dataclass
class _Snapshot:
    token: str
    overrides: dict[date, bool]
    official: frozenset[int]
    checked_at: float = 0.0
    years: dict[int, _Year] = field(default_factory=dict)

    def year(self, y: int) -> _Year:
        found = self.years.get(y)
        if found is None:
            found = self.years[y] = self._build(y)
        return found

    def _build(self, y: int) -> _Year:
        first, nxt = date(y, 1, 1), date(y + 1, 1, 1) if y < 9999 else date(9999, 12, 31)
        covered = library_covers(y)
        flags = bytearray(nxt.toordinal() - first.toordinal())
        for i in range(len(flags)):
            d = first + timedelta(days=i)
            value = self.overrides.get(d)
            if value is None:
                value = chinese_calendar.is_workday(d) if covered else d.weekday() < 5
            flags[i] = value
        return _Year(first.toordinal(), nxt.toordinal(), bytes(flags))

    def year_of_ordinal(self, o: int) -> _Year:
        return self.year(date.fromordinal(o).year)

    def provisional(self, y: int) -> bool:
        return not library_covers(y) and y not in self.official


_current: _Snapshot | None = None
_must_check = False
# Tokens written by this process whose transaction has not (yet) committed: a snapshot
# carrying one is rechecked on every use, so a rolled-back write never lingers.
_uncommitted: set[str] = set()


def _read_token() -> str:
    from zhengtong.core.calendar.models import CalendarVersion

    return CalendarVersion.objects.values_list("token", flat=True).first() or ""


def _load(token: str) -> _Snapshot:
    from zhengtong.core.calendar.models import CalendarYear, DayOverride

    overrides = dict(DayOverride.objects.values_list("date", "is_workday"))
    official = frozenset(CalendarYear.objects.filter(official=True).values_list("year", flat=True))
    return _Snapshot(token, overrides, official)


def _snapshot() -> _Snapshot:
    global _current, _must_check
    snap, now = _current, time.monotonic()
    if snap is not None and not _must_check and now - snap.checked_at < RECHECK_SECONDS \
            and snap.token not in _uncommitted:
        return snap
    token = _read_token()  # read before loading: a write racing the load forces a reload
    if snap is None or snap.token != token:
        snap = _load(token)
    snap.checked_at = now
    _current, _must_check = snap, False
    return snap


def mark_stale(**kwargs: Any) -> None:
    """Check the version token on next use (connected to request and task start)."""
    global _must_check
    _must_check = True


def invalidate() -> None:
    """Forget this process's calendar (after a local write)."""
    global _current
    _current = None


def note_uncommitted(token: str) -> None:
    _uncommitted.add(token)


def note_committed(token: str) -> None:
    _uncommitted.discard(token)


def _check_days(n: int) -> None:
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError("n must be an int")
    if n < 0 or n > MAX_DAYS:
        raise ValueError(f"n must be between 0 and {MAX_DAYS}")


def is_workday(d: date) -> bool:
    snap = _snapshot()
    y = snap.year(d.year)
    return bool(y.flags[d.toordinal() - y.start])


def is_provisional(d: date) -> bool:
    """Is ``d``'s year neither covered by the library nor marked official?"""
    return _snapshot().provisional(d.year)


def span_provisional(a: date, b: date) -> bool:
    """Does any year from ``a`` to ``b`` (either order) still lack its official schedule?"""
    snap = _snapshot()
    lo, hi = sorted((a.year, b.year))
    return any(snap.provisional(y) for y in range(lo, hi + 1))


def _walk(snap: _Snapshot, o: int, n: int, step: int) -> int:
    """From ordinal ``o``, move ``step`` (±1) a day at a time until ``n`` working days passed."""
    y = snap.year_of_ordinal(o)
    while n:
        o += step
        if not y.start <= o < y.end:
            y = snap.year_of_ordinal(o)
        n -= y.flags[o - y.start]
    return o


def add_working_days(d: date, n: int) -> date:
    """The n-th working day after ``d`` (``d`` not counted; ``n = 0`` gives ``d``)."""
    _check_days(n)
    return date.fromordinal(_walk(_snapshot(), d.toordinal(), n, 1))


def add_working_days_info(d: date, n: int) -> Dated:
    """``add_working_days`` plus whether the result rests on a provisional year."""
    result = add_working_days(d, n)
    return Dated(result, span_provisional(d, result))


def subtract_working_days(d: date, n: int) -> date:
    """The working day ``w <= d`` with exactly ``n`` working days in ``(w, d]``."""
    _check_days(n)
    snap = _snapshot()
    o = d.toordinal()
    y = snap.year_of_ordinal(o)
    if not y.flags[o - y.start]:
        o = _walk(snap, o, 1, -1)  # the last working day before a rest day
    return date.fromordinal(_walk(snap, o, n, -1))


def next_working_day(d: date) -> date:
    """``d`` if it is a working day, else the first working day after it."""
    return d if is_workday(d) else add_working_days(d, 1)


def working_days_between(a: date, b: date) -> int:
    """Working days in ``(a, b]``; negative when ``b`` is before ``a``."""
    if b < a:
        return -working_days_between(b, a)
    if (b - a).days > MAX_DAYS:
        raise ValueError(f"range longer than {MAX_DAYS} days")
    snap, total = _snapshot(), 0
    o, end = a.toordinal() + 1, b.toordinal()
    while o <= end:
        y = snap.year_of_ordinal(o)
        stop = min(end, y.end - 1)
        total += sum(y.flags[o - y.start: stop - y.start + 1])
        o = stop + 1
    return total


def working_days_between_info(a: date, b: date) -> Counted:
    return Counted(working_days_between(a, b), span_provisional(a, b))


def year_status(year: int) -> str:
    """"library" (built-in schedule), "official" (marked by an administrator) or "provisional"."""
    if library_covers(year):
        return "library"
    return "official" if year in _snapshot().official else "provisional"
