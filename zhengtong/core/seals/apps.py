from __future__ import annotations

from django.apps import AppConfig


class SealsConfig(AppConfig):
    name = "zhengtong.core.seals"
    label = "seals"
    verbose_name = "电子印章"

    def ready(self) -> None:
        from zhengtong.core.seals import access  # noqa: F401  (registers the download rule)
