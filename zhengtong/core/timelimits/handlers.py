"""Reactions to other apps' signals, connected in ``TimelimitsConfig.ready()``."""

from __future__ import annotations

from datetime import date

from django.db import transaction


def on_calendar_changed(sender, *, dates: list[date], years: list[int], **kwargs) -> None:
    from zhengtong.core.timelimits.tasks import recompute_after_calendar_change

    payload = {"dates": [d.isoformat() for d in dates], "years": list(years)}
    transaction.on_commit(lambda: recompute_after_calendar_change.enqueue(**payload))
