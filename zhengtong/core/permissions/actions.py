"""Granting and revoking roles, with the 三员分立 walls enforced here and only here."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.core.audit.log import record
from zhengtong.core.permissions.checks import forget, require
from zhengtong.core.permissions.models import Grant, Role, Scope
from zhengtong.core.permissions.registry import ACTIONS, AdminGroup


class GrantRefused(ValueError):
    """A grant that would break a rule; the message is for the security admin."""


class RoleRefused(GrantRefused):
    """A role definition that would break a rule (unknown or mixed admin-group actions)."""


_ROLE_CODE = re.compile(r"^[a-z][a-z0-9_-]{1,49}$")


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
    if scope not in Scope.values:
        raise GrantRefused(_("未知的数据范围：%(scope)s") % {"scope": scope})
    # Lock the grantee so two concurrent admin grants cannot both pass the wall below.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if role.admin_group:
        held = set(Grant.objects.active().filter(user=user, role__admin_group__gt="")
                   .exclude(role__admin_group=role.admin_group).values_list("role__admin_group", flat=True))
        if held:
            raise GrantRefused(_("三员分立：该用户已担任其他管理员角色，不能再担任“%(role)s”") % {"role": role.display_name})
        scope, department, region = Scope.CITY, None, None
    if scope in (Scope.DEPARTMENT, Scope.SUBTREE) and department is None:
        department = user.department
        if department is None:
            raise GrantRefused(_("请选择数据范围所属部门"))
    if scope == Scope.REGION and region is None:
        region = user.department.region if user.department else None
        if region is None:
            raise GrantRefused(_("请选择数据范围所属区划"))
    if scope in (Scope.CITY, Scope.REGION):
        department = None
    if scope in (Scope.CITY, Scope.DEPARTMENT, Scope.SUBTREE):
        region = None
    if Grant.objects.active().filter(user=user, role=role, scope=scope, department=department,
                                     region=region).exists():
        raise GrantRefused(_("该用户已持有相同范围的“%(role)s”角色") % {"role": role.display_name})
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
    if grant.user_id == actor.pk:
        raise GrantRefused(_("不能收回自己的授权"))
    updated = Grant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if updated:
        record("permissions.role.revoked", actor=actor, obj=grant,
               before={"user": grant.user.username, "role": grant.role.code})
    forget(grant.user)


def _role_fields(*, name: str, description: str, actions: list[str], admin_group: str) -> dict:
    name = name.strip()
    if not name:
        raise RoleRefused(_("请填写角色名称"))
    if admin_group and admin_group not in dict(AdminGroup.CHOICES):
        raise RoleRefused(_("未知的三员类别：%(group)s") % {"group": admin_group})
    actions = list(dict.fromkeys(actions))
    check_role_actions(actions, admin_group)
    return {"name": name, "description": description.strip(), "actions": actions, "admin_group": admin_group}


@transaction.atomic
def check_create_role(*, actor, code: str, name: str, actions: list[str], admin_group: str = "",
                      description: str = "") -> Role:
    """Create a custom role (security admin only); admin-group actions are never mixed."""
    require(actor, "permissions.role.manage")
    code = code.strip()
    if not _ROLE_CODE.match(code):
        raise RoleRefused(_("角色编码应以小写字母开头，只含小写字母、数字、下划线或连字符"))
    if Role.objects.filter(code=code).exists():
        raise RoleRefused(_("角色编码 %(code)s 已存在") % {"code": code})
    fields = _role_fields(name=name, description=description, actions=actions, admin_group=admin_group)
    role = Role.objects.create(code=code, is_builtin=False, **fields)
    record("permissions.role.created", actor=actor, obj=role, after={"code": code, **fields})
    return role


@transaction.atomic
def check_update_role(*, actor, role: Role, name: str, actions: list[str], description: str = "") -> Role:
    """Edit a custom role's name and actions. Its admin group is fixed at creation, so an
    edit can never turn a held role into a second admin role of its holders."""
    require(actor, "permissions.role.manage")
    role = Role.objects.select_for_update().get(pk=role.pk)
    if role.is_builtin:
        raise RoleRefused(_("内置角色不能修改"))
    fields = _role_fields(name=name, description=description, actions=actions, admin_group=role.admin_group)
    before = {"name": role.name, "description": role.description, "actions": role.actions}
    for key, value in fields.items():
        setattr(role, key, value)
    role.save(update_fields=["name", "description", "actions"])
    record("permissions.role.updated", actor=actor, obj=role, before=before,
           after={k: fields[k] for k in ("name", "description", "actions")})
    return role
