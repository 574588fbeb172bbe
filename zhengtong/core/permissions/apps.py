from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def sync_builtin_roles(**kwargs) -> None:
    from zhengtong.core.permissions.models import Role
    from zhengtong.core.permissions.registry import BUILTIN_ROLES

    for spec in BUILTIN_ROLES.values():
        Role.objects.update_or_create(code=spec.code, defaults={
            "name": spec.name, "actions": list(spec.actions), "admin_group": spec.admin_group,
            "description": spec.description, "is_builtin": True})


class PermissionsConfig(AppConfig):
    name = "zhengtong.core.permissions"
    label = "permissions"
    verbose_name = "权限"

    def ready(self) -> None:
        post_migrate.connect(sync_builtin_roles, sender=self)
