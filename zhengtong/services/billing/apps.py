from __future__ import annotations

from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "zhengtong.services.billing"
    label = "billing"
    verbose_name = "收费与证照"

    def ready(self) -> None:
        from zhengtong.services.billing import permissions  # noqa: F401  (registers actions and roles)
