from __future__ import annotations

from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "zhengtong.core.calendar"
    label = "calendar"
    verbose_name = "工作日历"
