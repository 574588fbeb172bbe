"""Writes to the working-day calendar: overrides and the official mark of a year."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.core.audit.log import record
from zhengtong.core.calendar import days
from zhengtong.core.calendar.models import CalendarVersion, CalendarYear, DayOverride, new_token
from zhengtong.core.calendar.signals import calendar_changed
from zhengtong.core.permissions.checks import require

MIN_YEAR, MAX_YEAR = 2000, 2100


class CalendarError(ValueError):
    """Input an administrator must correct; the message is for them."""


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarError(_("年份须在 %(lo)s 至 %(hi)s 之间") % {"lo": MIN_YEAR, "hi": MAX_YEAR})


def _bump_version() -> None:
    """New token in this transaction; other processes reload once it commits."""
    token = new_token()
    if not CalendarVersion.objects.filter(pk=1).update(token=token):
        CalendarVersion.objects.create(pk=1, token=token)
    days.note_uncommitted(token)
    days.invalidate()
    transaction.on_commit(lambda: days.note_committed(token))


@transaction.atomic
def do_set_override(*, actor, day: date, is_workday: bool, note: str = "") -> DayOverride:
    """Make ``day`` a working day or a day off, overriding the built-in schedule."""
    require(actor, "calendar.manage")
    _check_year(day.year)
    before = DayOverride.objects.select_for_update().filter(date=day).first()
    old = {"is_workday": before.is_workday, "note": before.note} if before else None
    override, _created = DayOverride.objects.update_or_create(
        date=day, defaults={"is_workday": is_workday, "note": note[:100], "created_by": actor})
    _bump_version()
    record("calendar.override.set", actor=actor, obj=override, before=old,
           after={"date": day.isoformat(), "is_workday": is_workday, "note": note[:100]})
    calendar_changed.send(sender=DayOverride, dates=[day], years=[])
    return override


@transaction.atomic
def do_delete_override(*, actor, override: DayOverride) -> None:
    """Remove an override; the day falls back to the built-in schedule."""
    require(actor, "calendar.manage")
    day = override.date
    deleted, _detail = DayOverride.objects.filter(pk=override.pk).delete()
    if not deleted:
        return
    _bump_version()
    record("calendar.override.deleted", actor=actor, object_type="calendar.dayoverride",
           object_id=str(override.pk), object_repr=str(override),
           before={"date": day.isoformat(), "is_workday": override.is_workday, "note": override.note})
    calendar_changed.send(sender=DayOverride, dates=[day], years=[])


@transaction.atomic
def do_mark_year_official(*, actor, year: int, official: bool = True) -> CalendarYear:
    """Declare that ``year``'s official schedule has been entered (or withdraw that)."""
    require(actor, "calendar.manage")
    _check_year(year)
    row, _created = CalendarYear.objects.select_for_update().get_or_create(year=year)
    if row.official == official:
        return row
    row.official, row.marked_by, row.marked_at = official, actor, timezone.now()
    row.save(update_fields=["official", "marked_by", "marked_at"])
    _bump_version()
    record("calendar.year.official" if official else "calendar.year.unofficial", actor=actor, obj=row,
           before={"official": not official}, after={"official": official})
    calendar_changed.send(sender=CalendarYear, dates=[], years=[year])
    return row
