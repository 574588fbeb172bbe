from __future__ import annotations

from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "zhengtong.services.billing"
    label = "billing"
    verbose_name = "收费与证照"
