from __future__ import annotations

from zhengtong.testing.personas import login_staff


def test_my_account_shows_the_citizen_profile_masked(client, city):
    from zhengtong.testing.personas import citizen

    user = citizen("11010519491231002X", "李娟", "13812345678")
    client.force_login(user)
    body = client.get("/accounts/me/").content.decode()
    assert "110105********002X" in body and "138****5678" in body
    assert "11010519491231002X" not in body and "13812345678" not in body
    assert "李娟" in body and "1949-12-31" in body and "女" in body


def test_my_account_shows_the_enterprise_with_the_representative_id_masked(client, enterprise_user):
    client.force_login(enterprise_user)
    body = client.get("/accounts/me/").content.decode()
    assert "91110000600037341L" in body and "王强" in body
    assert "110101********1233" in body and "110101199003071233" not in body
    assert "139****0002" in body


def test_my_account_needs_a_login(client, db):
    response = client.get("/accounts/me/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_staff_are_sent_to_their_console_account_page(client, clerk):
    login_staff(client, clerk)
    response = client.get("/accounts/me/")
    assert response.status_code == 302 and response["Location"] == "/console/accounts/totp/"
