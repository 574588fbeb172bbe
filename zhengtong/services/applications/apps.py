from __future__ import annotations

from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "zhengtong.services.applications"
    label = "applications"
    verbose_name = "办件"

    def ready(self) -> None:
        from zhengtong.services.applications import access, registry  # noqa: F401  (registers on import)
