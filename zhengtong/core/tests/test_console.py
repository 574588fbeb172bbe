from __future__ import annotations

from zhengtong.testing.personas import login_staff


def test_staff_reach_the_console_after_totp(client, clerk):
    login_staff(client, clerk)
    response = client.get("/console/")
    assert response.status_code == 200
    assert "clerk.zhang" in response.content.decode() or "\\u5f20\\u654f" in response.content.decode()


def test_the_public_cannot_enter_the_console(client, applicant):
    client.force_login(applicant)
    response = client.get("/console/")
    assert response.status_code in (302, 403)
