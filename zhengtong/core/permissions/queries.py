"""Reads for the security admin: roles and active grants."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhengtong.core.permissions.models import Grant, Role
from zhengtong.core.permissions.registry import ACTIONS


def action_labels(role: Role) -> list[str]:
    return [str(ACTIONS[c].label) if c in ACTIONS else c for c in role.actions]


def roles() -> QuerySet[Role]:
    return Role.objects.order_by("-is_builtin", "admin_group", "code")


def active_grants(*, q: str = "") -> QuerySet[Grant]:
    qs = (Grant.objects.active().select_related("user", "role", "department", "region", "granted_by")
          .order_by("user__username", "role__code"))
    if q:
        qs = qs.filter(Q(user__username__icontains=q) | Q(user__display_name__icontains=q)
                       | Q(role__code__icontains=q) | Q(role__name__icontains=q))
    return qs
