"""Granting and revoking roles, with the 三员分立 walls enforced here and only here."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.core.audit.log import record
from zhengtong.core.permissions.checks import forget, require
from zhengtong.core.permissions.models import Grant, Role, Scope
from zhengtong.core.permissions.registry import ACTIONS


class GrantRefused(ValueError):
    """A grant that would break a rule; the message is for the security admin."""


def check_role_actions(actions: list[str], admin_group: str) -> None:
    """Every action must exist; an admin role may hold only its own group's actions,
    and an ordinary role none of any admin group's."""
    for code in actions:
        if code not in ACTIONS:
            raise GrantRefused(_("未知的操作：%(code)s") % {"code": code})
        if ACTIONS[code].admin_group != admin_group:
            raise GrantRefused(_("操作“%(label)s”不能放入该角色：三员分立要求系统、安全、审计权限分离")
                               % {"label": ACTIONS[code].label})


@transaction.atomic
def check_grant_role(*, actor, user, role: Role, scope: str = Scope.DEPARTMENT,
                     department=None, region=None) -> Grant:
    """Grant ``role`` to ``user`` within a data scope (security admin only)."""
    require(actor, "permissions.grant")
    if user.pk == actor.pk:
        raise GrantRefused(_("不能给自己授权"))
    if user.kind != "staff":
        raise GrantRefused(_("只能给工作人员授予角色"))
    if role.admin_group:
        held = set(Grant.objects.active().filter(user=user, role__admin_group__gt="")
                   .exclude(role__admin_group=role.admin_group).values_list("role__admin_group", flat=True))
        if held:
            raise GrantRefused(_("三员分立：该用户已担任其他管理员角色，不能再担任“%(role)s”") % {"role": role.name})
        scope, department, region = Scope.CITY, None, None
    if scope in (Scope.DEPARTMENT, Scope.SUBTREE) and department is None:
        department = user.department
        if department is None:
            raise GrantRefused(_("请选择数据范围所属部门"))
    if scope == Scope.REGION and region is None:
        region = user.department.region if user.department else None
        if region is None:
            raise GrantRefused(_("请选择数据范围所属区划"))
    grant = Grant.objects.create(user=user, role=role, scope=scope, department=department,
                                 region=region, granted_by=actor)
    record("permissions.role.granted", actor=actor, obj=grant,
           after={"user": user.username, "role": role.code, "scope": scope,
                  "department": department.code if department else None,
                  "region": region.code if region else None})
    forget(user)
    return grant


@transaction.atomic
def do_revoke_grant(*, actor, grant: Grant) -> None:
    """Revoke a grant (security admin only)."""
    require(actor, "permissions.grant")
    updated = Grant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if updated:
        record("permissions.role.revoked", actor=actor, obj=grant,
               before={"user": grant.user.username, "role": grant.role.code})
    forget(grant.user)
