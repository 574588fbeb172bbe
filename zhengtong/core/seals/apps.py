from __future__ import annotations

from django.apps import AppConfig


class SealsConfig(AppConfig):
    name = "zhengtong.core.seals"
    label = "seals"
    verbose_name = "电子印章"
