"""Custom roles: the security admin creates and edits them; built-in roles are read-only."""

from __future__ import annotations

import pytest

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.permissions.actions import (
    GrantRefused,
    RoleRefused,
    check_create_role,
    check_update_role,
)
from zhengtong.core.permissions.models import Role
from zhengtong.testing.personas import login_staff

ROLES = "/console/permissions/roles/"


def test_secadmin_creates_a_business_role(secadmin):
    role = check_create_role(actor=secadmin, code="window_lead", name="窗口组长",
                             actions=["timelimits.case.view", "accounts.person.read"])
    assert not role.is_builtin and role.admin_group == ""
    entry = AuditEntry.objects.get(action="permissions.role.created", object_id=str(role.pk))
    assert entry.after["actions"] == ["timelimits.case.view", "accounts.person.read"]


def test_secadmin_creates_an_admin_role_of_one_group(secadmin):
    role = check_create_role(actor=secadmin, code="log_reader", name="日志查阅员", admin_group="audit",
                             actions=["audit.log.read"])
    assert role.admin_group == "audit"


@pytest.mark.parametrize("code", ["", "Bad Code", "1abc", "sysadmin"])
def test_bad_or_taken_codes_are_refused(secadmin, code):
    with pytest.raises(RoleRefused):
        check_create_role(actor=secadmin, code=code, name="某角色", actions=[])


def test_unknown_actions_are_refused(secadmin):
    with pytest.raises(GrantRefused, match="未知的操作"):
        check_create_role(actor=secadmin, code="odd", name="奇怪", actions=["no.such.action"])


def test_the_sysadmin_cannot_manage_roles(sysadmin):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        check_create_role(actor=sysadmin, code="mine", name="我的", actions=[])


def test_built_in_roles_cannot_be_edited(secadmin):
    with pytest.raises(RoleRefused):
        check_update_role(actor=secadmin, role=Role.objects.get(code="clerk"), name="x", actions=[])


def test_an_edit_keeps_the_admin_group_and_its_wall(secadmin):
    role = check_create_role(actor=secadmin, code="helper", name="助手", actions=["timelimits.case.view"])
    with pytest.raises(GrantRefused, match="三员分立"):
        check_update_role(actor=secadmin, role=role, name="助手", actions=["audit.log.read"])
    updated = check_update_role(actor=secadmin, role=role, name="业务助手", actions=["seals.document.sign"])
    assert updated.name == "业务助手" and updated.actions == ["seals.document.sign"]
    entry = AuditEntry.objects.get(action="permissions.role.updated", object_id=str(role.pk))
    assert entry.before["actions"] == ["timelimits.case.view"]


def test_the_roles_page_lists_built_ins_read_only(client, secadmin):
    login_staff(client, secadmin)
    html = client.get(ROLES).content.decode()
    assert "内置（只读）" in html and "查阅审计日志" in html
    detail = client.get(f"{ROLES}{Role.objects.get(code='auditadmin').pk}/")
    assert detail.status_code == 200 and "内置角色由系统维护，只读" in detail.content.decode()


def test_the_role_form_creates_and_edits(client, secadmin):
    login_staff(client, secadmin)
    response = client.post(f"{ROLES}new/", {"code": "clerk_plus", "name": "窗口加", "admin_group": "",
                                            "actions": ["timelimits.case.view"]})
    assert response.status_code == 302
    role = Role.objects.get(code="clerk_plus")
    response = client.post(f"{ROLES}{role.pk}/", {"name": "窗口加强", "actions": ["timelimits.case.view",
                                                                                  "notify.broadcast"]})
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.name == "窗口加强" and "notify.broadcast" in role.actions and role.code == "clerk_plus"


def test_the_role_form_shows_the_wall_in_chinese(client, secadmin):
    login_staff(client, secadmin)
    response = client.post(f"{ROLES}new/", {"code": "mixed", "name": "混合", "admin_group": "system",
                                            "actions": ["accounts.user.create", "audit.log.read"]})
    assert response.status_code == 200 and "三员分立" in response.content.decode()
    assert not Role.objects.filter(code="mixed").exists()
