"""Signals the calendar publishes. Subscribers (e.g. ``core.timelimits``) connect in their
``AppConfig.ready()`` and recompute whatever depends on working days."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the writer's transaction, after the change is saved.
# kwargs: ``dates`` (list[date]) whose working-day status changed,
#         ``years`` (list[int]) whose official mark changed.
calendar_changed = Signal()
