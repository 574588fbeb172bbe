"""The system admin's pages (core.sysadmin): masked user list, new staff, (de)activation, settings."""

from __future__ import annotations

from zhengtong.core.accounts.models import User
from zhengtong.core.audit.models import AuditEntry
from zhengtong.testing.personas import PASSWORD, login_staff

USERS = "/console/sysadmin/users/"


def test_the_user_list_masks_personal_data(client, sysadmin, applicant, enterprise_user, clerk):
    login_staff(client, sysadmin)
    html = client.get(USERS).content.decode()
    assert "11010519491231002X" not in html and "110105********002X" in html
    assert "李娟" not in html and "李*" in html
    assert "13800000001" not in html and "138****0001" in html
    assert "91110000600037341L" not in html
    assert "clerk.zhang" in html and "张敏" in html


def test_the_public_are_found_only_by_a_full_identifier(client, sysadmin, applicant):
    login_staff(client, sysadmin)
    assert "110105********002X" not in client.get(USERS, {"q": "110105"}).content.decode()
    assert "110105********002X" in client.get(USERS, {"q": "11010519491231002X"}).content.decode()
    assert "110105********002X" in client.get(USERS, {"kind": "citizen"}).content.decode()


def test_a_weak_initial_password_is_refused(client, sysadmin, city):
    login_staff(client, sysadmin)
    response = client.post(f"{USERS}new/", {"username": "weak.one", "name": "弱", "department": city.dept("office").pk,
                                            "password": "123456", "password2": "123456"})
    assert response.status_code == 200
    assert not User.objects.filter(username="weak.one").exists()


def test_a_taken_username_is_refused(client, sysadmin, clerk, city):
    login_staff(client, sysadmin)
    response = client.post(f"{USERS}new/", {"username": "clerk.zhang", "name": "重名",
                                            "department": city.dept("office").pk,
                                            "password": "Xin-Tong-Shi-2025!", "password2": "Xin-Tong-Shi-2025!"})
    assert response.status_code == 200 and "已存在" in response.content.decode()


def test_sysadmin_deactivates_and_reactivates_a_user(client, sysadmin, clerk):
    login_staff(client, sysadmin)
    assert client.post(f"{USERS}{clerk.pk}/active/", {"active": "0"}).status_code == 302
    clerk.refresh_from_db()
    assert not clerk.is_active
    assert AuditEntry.objects.filter(action="accounts.user.deactivated", object_id=str(clerk.pk)).exists()
    other = client.__class__()
    response = other.post("/accounts/login/", {"username": clerk.username, "password": PASSWORD})
    assert response.status_code != 302
    client.post(f"{USERS}{clerk.pk}/active/", {"active": "1"})
    clerk.refresh_from_db()
    assert clerk.is_active


def test_sysadmin_cannot_deactivate_themself(client, sysadmin):
    login_staff(client, sysadmin)
    client.post(f"{USERS}{sysadmin.pk}/active/", {"active": "0"})
    sysadmin.refresh_from_db()
    assert sysadmin.is_active


def test_deactivation_needs_the_right_role(client, secadmin, clerk):
    login_staff(client, secadmin)
    assert client.post(f"{USERS}{clerk.pk}/active/", {"active": "0"}).status_code == 403
    clerk.refresh_from_db()
    assert clerk.is_active


def test_the_settings_page_shows_no_secrets(client, sysadmin, settings):
    settings.ZT_ICP_NUMBER = "示ICP备12345678号-1"
    login_staff(client, sysadmin)
    html = client.get("/console/sysadmin/settings/").content.decode()
    assert "示ICP备12345678号-1" in html and "ZT_SITE_NAME" in html
    assert settings.SECRET_KEY not in html and "SECRET_KEY" not in html and "ZT_MASTER_KEY" not in html


def test_list_pages_run_a_fixed_number_of_queries(client, sysadmin, secadmin, applicant, clerk, approver,
                                                 django_assert_max_num_queries):
    login_staff(client, sysadmin)
    with django_assert_max_num_queries(16):
        assert client.get(USERS).status_code == 200
    client.logout()
    login_staff(client, secadmin)
    with django_assert_max_num_queries(20):  # most are the Wagtail frame's; rows add none
        assert client.get("/console/permissions/grants/").status_code == 200
