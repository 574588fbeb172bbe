"""三员分立: the system, security and audit admins each reach their own pages and nothing else,
through the console and through the API alike."""

from __future__ import annotations

import pytest

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.permissions.actions import (
    GrantRefused,
    check_create_role,
    check_grant_role,
    check_role_actions,
)
from zhengtong.core.permissions.models import Grant, Role, Scope
from zhengtong.testing.personas import login_staff

USERS = "/console/sysadmin/users/"
USER_NEW = "/console/sysadmin/users/new/"
SETTINGS = "/console/sysadmin/settings/"
ORG = "/console/org/"
ROLES = "/console/permissions/roles/"
GRANTS = "/console/permissions/grants/"
AUDIT = "/console/audit/log/"
ALL_PAGES = [USERS, USER_NEW, SETTINGS, ORG, ROLES, GRANTS, AUDIT]
OWN_PAGES = {"sysadmin": {USERS, USER_NEW, SETTINGS, ORG}, "secadmin": {ROLES, GRANTS}, "auditadmin": {AUDIT}}


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditadmin", "clerk"])
def test_each_admin_reaches_only_their_own_pages(client, persona, request):
    user = request.getfixturevalue(persona)
    login_staff(client, user)
    own = OWN_PAGES.get(persona, set())
    for url in ALL_PAGES:
        expected = 200 if url in own else 403
        assert client.get(url).status_code == expected, (persona, url)


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditadmin", "clerk"])
def test_menu_items_show_only_to_their_admin(client, persona, request):
    login_staff(client, request.getfixturevalue(persona))
    html = client.get("/console/").content.decode()
    own = OWN_PAGES.get(persona, set())
    for url in (USERS, ORG, ROLES, GRANTS, AUDIT):
        assert (url in html) == (url in own), (persona, url)


def _new_staff_post(username="new.clerk", department=None):
    return {"username": username, "name": "新同事", "department": department.pk, "mobile": "13800001111",
            "password": "Xin-Tong-Shi-2025!", "password2": "Xin-Tong-Shi-2025!"}


def test_sysadmin_creates_a_user_without_roles(client, sysadmin, city):
    login_staff(client, sysadmin)
    response = client.post(USER_NEW, _new_staff_post(department=city.dept("approval")))
    assert response.status_code == 302
    from zhengtong.core.accounts.models import User

    user = User.objects.get(username="new.clerk")
    assert user.kind == "staff" and user.department == city.dept("approval")
    assert not Grant.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="accounts.staff.created", object_id=str(user.pk)).exists()


def test_sysadmin_cannot_grant(client, sysadmin, clerk):
    login_staff(client, sysadmin)
    response = client.post(GRANTS, {"user": clerk.pk, "role": Role.objects.get(code="approver").pk,
                                    "scope": "department"})
    assert response.status_code == 403
    assert not Grant.objects.filter(user=clerk, role__code="approver").exists()


def test_secadmin_cannot_create_users(client, secadmin, city):
    login_staff(client, secadmin)
    response = client.post(USER_NEW, _new_staff_post(department=city.dept("approval")))
    assert response.status_code == 403
    from zhengtong.core.accounts.models import User

    assert not User.objects.filter(username="new.clerk").exists()


def test_secadmin_grants_a_role_with_a_scope(client, secadmin, clerk, city):
    login_staff(client, secadmin)
    response = client.post(GRANTS, {"user": clerk.pk, "role": Role.objects.get(code="approver").pk,
                                    "scope": "subtree", "department": city.dept("market").pk})
    assert response.status_code == 302
    grant = Grant.objects.get(user=clerk, role__code="approver")
    assert grant.scope == Scope.SUBTREE and grant.department == city.dept("market")
    assert AuditEntry.objects.filter(action="permissions.role.granted", object_id=str(grant.pk)).exists()


def test_secadmin_revokes_a_grant(client, secadmin, clerk):
    login_staff(client, secadmin)
    grant = Grant.objects.get(user=clerk, role__code="clerk")
    assert client.post(f"{GRANTS}{grant.pk}/revoke/").status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert AuditEntry.objects.filter(action="permissions.role.revoked", object_id=str(grant.pk)).exists()


def test_revoking_needs_a_post(client, secadmin, clerk):
    login_staff(client, secadmin)
    grant = Grant.objects.get(user=clerk, role__code="clerk")
    assert client.get(f"{GRANTS}{grant.pk}/revoke/").status_code == 405


def test_auditadmin_cannot_revoke(client, auditadmin, clerk):
    login_staff(client, auditadmin)
    grant = Grant.objects.get(user=clerk, role__code="clerk")
    assert client.post(f"{GRANTS}{grant.pk}/revoke/").status_code == 403
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_no_user_holds_two_admin_roles(client, secadmin, sysadmin):
    login_staff(client, secadmin)
    count = AuditEntry.objects.count()
    response = client.post(GRANTS, {"user": sysadmin.pk, "role": Role.objects.get(code="auditadmin").pk,
                                    "scope": "city"})
    assert response.status_code == 200
    assert "三员分立" in response.content.decode()
    assert not Grant.objects.filter(user=sysadmin, role__code="auditadmin").exists()
    assert AuditEntry.objects.count() == count


def test_the_two_admin_role_wall_holds_in_the_action(secadmin, auditadmin):
    with pytest.raises(GrantRefused, match="三员分立"):
        check_grant_role(actor=secadmin, user=auditadmin, role=Role.objects.get(code="sysadmin"))
    assert Grant.objects.active().filter(user=auditadmin).count() == 1


def test_secadmin_cannot_grant_to_self(client, secadmin):
    login_staff(client, secadmin)
    response = client.post(GRANTS, {"user": secadmin.pk, "role": Role.objects.get(code="clerk").pk,
                                    "scope": "department"})
    assert "不能给自己授权" in response.content.decode()
    assert not Grant.objects.filter(user=secadmin, role__code="clerk").exists()


def test_secadmin_cannot_revoke_own_grant(secadmin):
    from zhengtong.core.permissions.actions import do_revoke_grant

    own = Grant.objects.get(user=secadmin)
    with pytest.raises(GrantRefused):
        do_revoke_grant(actor=secadmin, grant=own)
    own.refresh_from_db()
    assert own.revoked_at is None


def test_an_admin_role_cannot_take_another_groups_actions(secadmin):
    with pytest.raises(GrantRefused, match="三员分立"):
        check_role_actions(["audit.log.read", "permissions.grant"], "security")
    with pytest.raises(GrantRefused, match="三员分立"):
        check_create_role(actor=secadmin, code="super_sec", name="超级安全员", admin_group="security",
                          actions=["permissions.grant", "audit.log.read"])
    with pytest.raises(GrantRefused, match="三员分立"):
        check_create_role(actor=secadmin, code="sneaky", name="业务加审计", admin_group="",
                          actions=["timelimits.case.view", "audit.log.read"])
    assert not Role.objects.filter(code__in=["super_sec", "sneaky"]).exists()


def test_an_admin_grant_is_always_city_wide(secadmin, city):
    from zhengtong.testing.personas import staff

    newcomer = staff("audit.two", "第二审计员", city.dept("office"))
    grant = check_grant_role(actor=secadmin, user=newcomer, role=Role.objects.get(code="auditadmin"),
                             scope="department", department=city.dept("office"))
    assert grant.scope == Scope.CITY and grant.department is None


def test_grants_go_to_staff_only(secadmin, applicant):
    with pytest.raises(GrantRefused):
        check_grant_role(actor=secadmin, user=applicant, role=Role.objects.get(code="clerk"))


def test_the_same_grant_twice_is_refused(secadmin, clerk):
    with pytest.raises(GrantRefused):
        check_grant_role(actor=secadmin, user=clerk, role=Role.objects.get(code="clerk"))


# --- the same walls through the API ------------------------------------------------------------

API_GRANTS = "/api/v1/permissions/grants"
API_AUDIT = "/api/v1/audit/entries"
API_VERIFY = "/api/v1/audit/verify"


@pytest.mark.parametrize("persona", ["sysadmin", "auditadmin", "clerk"])
def test_only_secadmin_reaches_the_grants_api(client, persona, request, approver):
    login_staff(client, request.getfixturevalue(persona))
    response = client.get(API_GRANTS)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert response.json()["message"]
    response = client.post(API_GRANTS, {"user": approver.username, "role": "clerk"}, content_type="application/json")
    assert response.status_code == 403
    grant = Grant.objects.get(user=approver)
    assert client.delete(f"{API_GRANTS}/{grant.pk}").status_code == 403
    assert not Grant.objects.filter(user=approver, role__code="clerk").exists()


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "clerk"])
def test_only_auditadmin_reaches_the_audit_api(client, persona, request):
    login_staff(client, request.getfixturevalue(persona))
    for response in (client.get(API_AUDIT), client.post(API_VERIFY)):
        assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_secadmin_grants_and_revokes_through_the_api(client, secadmin, approver, city):
    login_staff(client, secadmin)
    response = client.post(API_GRANTS, {"user": approver.username, "role": "clerk", "scope": "region",
                                        "region": city.county.code}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["scope"] == "region" and body["region"] == city.county.code and body["granted_by"] == "sec.admin"
    listed = client.get(API_GRANTS, {"q": approver.username}).json()
    assert {g["role"] for g in listed} == {"approver", "clerk"}
    assert client.delete(f"{API_GRANTS}/{body['id']}").status_code == 204
    assert Grant.objects.get(pk=body["id"]).revoked_at is not None


def test_the_api_refuses_a_second_admin_role_in_chinese(client, secadmin, sysadmin):
    login_staff(client, secadmin)
    response = client.post(API_GRANTS, {"user": sysadmin.username, "role": "secadmin"},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "grant_refused" and "三员分立" in response.json()["message"]
    assert not Grant.objects.filter(user=sysadmin, role__code="secadmin").exists()


def test_the_api_refuses_a_grant_to_self(client, secadmin):
    login_staff(client, secadmin)
    response = client.post(API_GRANTS, {"user": secadmin.username, "role": "clerk"}, content_type="application/json")
    assert response.status_code == 400 and "自己" in response.json()["message"]


def test_auditadmin_reads_and_verifies_through_the_api(client, auditadmin):
    login_staff(client, auditadmin)
    response = client.get(API_AUDIT, {"action": "accounts."})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 1 and all(i["action"].startswith("accounts.") for i in body["items"])
    assert AuditEntry.objects.filter(action="audit.log.viewed", actor=auditadmin).exists()
    verified = client.post(API_VERIFY).json()
    assert verified["ok"] is True and verified["checked"] >= body["count"]
