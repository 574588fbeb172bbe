"""Deliver the 'next year's holidays are missing' warning to the calendar administrators."""

from __future__ import annotations

from django.db import transaction


def notify_calendar_admins(message: str, years: list[int]) -> None:
    from zhengtong.core.notify import actions as notify
    from zhengtong.core.notify.queries import recipients_holding

    with transaction.atomic():
        notify.send(recipients_holding("calendar.manage"), template="calendar.next_year_missing",
                    context={"year": "、".join(str(y) for y in years)}, channels=("inbox", "email"),
                    link="/console/calendar/")
