"""Named actions that roles may grant. Apps register theirs in ``AppConfig.ready()``.

An action's label is given Chinese, marked with ``gettext_lazy`` (the registry is filled at
import time, before a request picks a language): labels are only shown (roles and grants pages,
refusals), never stored, and roles store action codes, so each reader sees their own language.

Each action belongs to at most one admin group of the 三员分立 separation; a role of
one admin group may hold only that group's actions (see ``actions.check_role_actions``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class AdminGroup:
    SYSTEM = "system"      # 系统管理员: users and settings
    SECURITY = "security"  # 安全保密管理员: roles and grants
    AUDIT = "audit"        # 安全审计员: the audit log
    CHOICES = [(SYSTEM, _("系统管理员")), (SECURITY, _("安全保密管理员")), (AUDIT, _("安全审计员"))]


@dataclass(frozen=True)
class ActionDef:
    code: str
    label: str | Promise
    admin_group: str = ""


ACTIONS: dict[str, ActionDef] = {}


def register_action(code: str, label: str | Promise, *, admin_group: str = "") -> ActionDef:
    definition = ActionDef(code, label, admin_group)
    ACTIONS[code] = definition
    return definition


# The spine's own actions.
register_action("accounts.user.create", _("创建用户"), admin_group=AdminGroup.SYSTEM)
register_action("accounts.user.update", _("修改用户"), admin_group=AdminGroup.SYSTEM)
register_action("accounts.user.lock", _("停用/解锁用户"), admin_group=AdminGroup.SYSTEM)
register_action("core.settings.update", _("修改系统设置"), admin_group=AdminGroup.SYSTEM)
register_action("org.manage", _("维护区划和部门"), admin_group=AdminGroup.SYSTEM)
register_action("calendar.manage", _("维护工作日历"), admin_group=AdminGroup.SYSTEM)
register_action("seals.manage", _("管理电子印章密钥"), admin_group=AdminGroup.SYSTEM)
register_action("permissions.grant", _("授予/收回角色"), admin_group=AdminGroup.SECURITY)
register_action("permissions.role.manage", _("维护角色"), admin_group=AdminGroup.SECURITY)
register_action("audit.log.read", _("查阅审计日志"), admin_group=AdminGroup.AUDIT)
register_action("audit.chain.verify", _("校验审计链"), admin_group=AdminGroup.AUDIT)
register_action("accounts.person.read", _("查看自然人完整个人信息"))
register_action("timelimits.case.view", _("查看时限案件"))
register_action("timelimits.case.extend", _("批准延期"))
register_action("seals.document.sign", _("加盖电子印章"))
register_action("notify.broadcast", _("发送通知"))


@dataclass(frozen=True)
class BuiltinRole:
    code: str
    name: str
    actions: tuple[str, ...]
    admin_group: str = ""
    description: str = ""


# Upserted after every migrate (see apps.py) so new actions reach the built-in roles.
BUILTIN_ROLES: dict[str, BuiltinRole] = {}


def register_builtin_role(code: str, name: str, actions: tuple[str, ...], *, admin_group: str = "",
                          description: str = "") -> None:
    """Declare a built-in role. Its name and description are stored in Chinese, as given, and
    translated when shown (``Role.display_name``), so mark them with ``gettext_noop`` where a
    role is first declared: the stored rows stay the same in every language and no migration
    or re-sync is needed when a translation changes."""
    existing = BUILTIN_ROLES.get(code)
    merged = tuple(dict.fromkeys((existing.actions if existing else ()) + actions))
    BUILTIN_ROLES[code] = BuiltinRole(code, name, merged, admin_group, description)


register_builtin_role("sysadmin", gettext_noop("系统管理员"), (
    "accounts.user.create", "accounts.user.update", "accounts.user.lock", "core.settings.update",
    "org.manage", "calendar.manage", "seals.manage"), admin_group=AdminGroup.SYSTEM,
    description=gettext_noop("管理用户和系统配置；不能查阅审计日志，不能授权"))
register_builtin_role("secadmin", gettext_noop("安全保密管理员"),
                      ("permissions.grant", "permissions.role.manage"), admin_group=AdminGroup.SECURITY,
                      description=gettext_noop("授予和收回角色；不能创建用户"))
register_builtin_role("auditadmin", gettext_noop("安全审计员"), ("audit.log.read", "audit.chain.verify"),
                      admin_group=AdminGroup.AUDIT, description=gettext_noop("只能查阅和校验审计日志"))
register_builtin_role("clerk", gettext_noop("窗口人员"), ("accounts.person.read", "timelimits.case.view"))
register_builtin_role("approver", gettext_noop("审批人员"), ("timelimits.case.view", "seals.document.sign"))
register_builtin_role("dept_head", gettext_noop("部门负责人"), (
    "timelimits.case.view", "timelimits.case.extend", "seals.document.sign", "notify.broadcast"))
register_builtin_role("supervisor", gettext_noop("监察人员"), ("timelimits.case.view",))
register_builtin_role("staff", gettext_noop("一般工作人员"), ())
