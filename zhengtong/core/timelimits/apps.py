from __future__ import annotations

from django.apps import AppConfig


class TimelimitsConfig(AppConfig):
    name = "zhengtong.core.timelimits"
    label = "timelimits"
    verbose_name = "办理时限"

    def ready(self) -> None:
        from zhengtong.core import metrics
        from zhengtong.core.calendar import tasks as calendar_tasks
        from zhengtong.core.calendar.signals import calendar_changed
        from zhengtong.core.timelimits import handlers, queries
        from zhengtong.core.timelimits.metrics import refresh_case_gauges

        calendar_changed.connect(handlers.on_calendar_changed, dispatch_uid="timelimits.calendar_changed")
        if queries.provisional_due_years not in calendar_tasks.YEAR_SOURCES:
            calendar_tasks.YEAR_SOURCES.append(queries.provisional_due_years)
        metrics.register_gauge_refresher(refresh_case_gauges)
