from __future__ import annotations

from zhengtong.core.audit.models import AuditEntry
from zhengtong.testing.personas import login_staff


def test_the_lookup_lists_citizens_masked(client, clerk, applicant):
    login_staff(client, clerk)
    response = client.get("/console/accounts/citizens/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "110105********002X" in body and "138****0001" in body and "李娟" in body
    assert "11010519491231002X" not in body and "13800000001" not in body
    assert "查看完整信息" in body


def test_the_lookup_finds_a_citizen_by_full_id_number_or_mobile(client, clerk, applicant):
    login_staff(client, clerk)
    assert "李娟" in client.get("/console/accounts/citizens/", {"q": "11010519491231002x"}).content.decode()
    assert "李娟" in client.get("/console/accounts/citizens/", {"q": "13800000001"}).content.decode()
    assert "李娟" not in client.get("/console/accounts/citizens/", {"q": "1380000"}).content.decode()


def _menu_has_lookup(client) -> bool:
    body = client.get("/console/").content.decode()  # the sidebar is JSON for Wagtail's JS
    return "自然人查询" in body or "\\u81ea\\u7136\\u4eba\\u67e5\\u8be2" in body


def test_the_lookup_is_in_the_services_menu_for_holders_of_the_permission(client, clerk, approver):
    login_staff(client, clerk)
    assert _menu_has_lookup(client)
    client.post("/accounts/logout/")
    login_staff(client, approver)
    assert not _menu_has_lookup(client)


def test_revealing_shows_the_full_numbers_and_writes_an_audit_entry(client, clerk, applicant):
    login_staff(client, clerk)
    profile = applicant.citizen
    response = client.post(f"/console/accounts/citizens/{profile.pk}/reveal/", {"reason": "窗口核验身份"})
    body = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "11010519491231002X" in body and "13800000001" in body
    entry = AuditEntry.objects.get(action="accounts.person.revealed")
    assert entry.actor_id == clerk.pk and entry.object_id == str(applicant.pk)
    assert entry.after == {"fields": ["id_number", "mobile"], "reason": "窗口核验身份"}


def test_revealing_without_the_permission_is_forbidden_and_not_logged(client, approver, applicant):
    login_staff(client, approver)
    response = client.post(f"/console/accounts/citizens/{applicant.citizen.pk}/reveal/")
    assert response.status_code == 403
    assert "11010519491231002X" not in response.content.decode()
    assert not AuditEntry.objects.filter(action="accounts.person.revealed").exists()


def test_the_lookup_without_the_permission_is_forbidden(client, approver, applicant):
    login_staff(client, approver)
    assert client.get("/console/accounts/citizens/").status_code == 403


def test_revealing_needs_a_post(client, clerk, applicant):
    login_staff(client, clerk)
    assert client.get(f"/console/accounts/citizens/{applicant.citizen.pk}/reveal/").status_code == 405


def test_revealing_an_unknown_citizen_is_404(client, clerk):
    login_staff(client, clerk)
    assert client.post("/console/accounts/citizens/999999/reveal/").status_code == 404


def test_the_public_cannot_reach_the_lookup(client, applicant):
    client.force_login(applicant)
    response = client.get("/console/accounts/citizens/")
    assert response.status_code in (302, 403)
