from __future__ import annotations

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "zhengtong.services.catalog"
    label = "catalog"
    verbose_name = "事项库"

    def ready(self) -> None:
        from zhengtong.services.catalog.registry import register_permissions

        register_permissions()
