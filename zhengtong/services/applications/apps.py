from __future__ import annotations

from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "zhengtong.services.applications"
    label = "applications"
    verbose_name = "办件"
