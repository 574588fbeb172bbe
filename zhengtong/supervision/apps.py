from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhengtong.supervision"
    label = "supervision"
    verbose_name = "电子监察"
