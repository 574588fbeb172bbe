"""Role names in the reader's language: built-in roles are stored in Chinese and translated
when shown; custom roles show the name their creator typed."""

from __future__ import annotations

import pytest
from django.utils import translation

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.permissions.actions import check_create_role, check_grant_role
from zhengtong.core.permissions.models import Role
from zhengtong.core.permissions.registry import BUILTIN_ROLES
from zhengtong.testing.personas import login_staff

pytestmark = pytest.mark.django_db


def _english(client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def test_a_built_in_role_is_stored_in_chinese_and_shown_in_english():
    clerk = Role.objects.get(code="clerk")
    assert clerk.name == "窗口人员"  # the stored row is what it always was
    with translation.override("en"):
        assert clerk.display_name == str(clerk) == "Window clerk"
        assert Role.objects.get(code="auditadmin").display_description == "Can only read and verify the audit log"
    assert clerk.display_name == str(clerk) == "窗口人员"


def test_every_built_in_role_has_an_english_name_and_description():
    missing = []
    for spec in BUILTIN_ROLES.values():
        role = Role(code=spec.code, name=spec.name, description=spec.description, is_builtin=True)
        with translation.override("en"):
            if role.display_name == spec.name or (spec.description and role.display_description == spec.description):
                missing.append(spec.code)
    assert missing == []


def test_a_custom_role_keeps_the_name_its_creator_typed(secadmin):
    role = check_create_role(actor=secadmin, code="approver_two", name="审批人员", actions=["timelimits.case.view"],
                             description="监察人员")
    with translation.override("en"):
        assert (role.display_name, role.display_description) == ("审批人员", "监察人员")


def test_the_roles_and_grants_pages_read_in_english(client, secadmin, clerk):
    login_staff(client, secadmin)
    _english(client)
    roles = client.get("/console/permissions/roles/").content.decode()
    for text in ("Window clerk", "Security auditor", "Can only read and verify the audit log", "Built-in (read-only)"):
        assert text in roles, text
    assert "窗口人员" not in roles and "安全审计员" not in roles
    grants = client.get("/console/permissions/grants/").content.decode()
    assert "Window clerk" in grants and "Own department" in grants and "本部门" not in grants


def test_a_grant_is_audited_in_the_language_it_was_made_in(secadmin, approver):
    """The entry's object text is written once, as plain text, in the granting admin's language."""
    clerk = Role.objects.get(code="clerk")
    with translation.override("en"):
        grant = check_grant_role(actor=secadmin, user=approver, role=clerk, scope="city")
    entry = AuditEntry.objects.get(action="permissions.role.granted", object_id=str(grant.pk))
    assert "Window clerk" in entry.object_repr and "Whole city" in entry.object_repr
    assert entry.after["role"] == "clerk" and entry.after["scope"] == "city"


def test_a_roles_actions_read_in_english_on_the_roles_pages(client, secadmin):
    login_staff(client, secadmin)
    _english(client)
    roles = client.get("/console/permissions/roles/").content.decode()
    assert "View time-limited cases" in roles and "Accept cases" in roles
    assert "查看时限案件" not in roles and "受理办件" not in roles
    clerk = Role.objects.get(code="clerk")
    detail = client.get(f"/console/permissions/roles/{clerk.pk}/").content.decode()
    assert "Window intake (one-window acceptance)" in detail and "窗口收件" not in detail
    new = client.get("/console/permissions/roles/new/").content.decode()
    assert "Read the audit log（audit.log.read）" in new and "查阅审计日志" not in new


def test_a_refusal_names_the_action_in_the_readers_language(approver):
    from django.core.exceptions import PermissionDenied

    from zhengtong.core.permissions.checks import require

    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        require(approver, "permissions.grant")
    assert "Grant and revoke roles" in str(refused.value)
