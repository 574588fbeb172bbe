from __future__ import annotations

from django.apps import AppConfig


class TimelimitsConfig(AppConfig):
    name = "zhengtong.core.timelimits"
    label = "timelimits"
    verbose_name = "办理时限"
