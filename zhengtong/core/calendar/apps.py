from __future__ import annotations

from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "zhengtong.core.calendar"
    label = "calendar"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from django.core.signals import request_started
        from django_tasks.signals import task_started

        from zhengtong.core.calendar import days, handlers, tasks

        if handlers.notify_calendar_admins not in tasks.WARNING_HANDLERS:
            tasks.WARNING_HANDLERS.append(handlers.notify_calendar_admins)

        # A request or task sees calendar writes committed by other processes.
        request_started.connect(days.mark_stale, dispatch_uid="calendar.mark_stale.request")
        task_started.connect(days.mark_stale, dispatch_uid="calendar.mark_stale.task")
