from __future__ import annotations

import json

import pytest

from zhengtong.core.accounts.actions import do_issue_api_token, do_revoke_api_token
from zhengtong.core.accounts.models import User
from zhengtong.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

CITIZEN = {"name": "王小明", "id_number": "110105198001010016", "mobile": "13812345678", "password": PASSWORD}
ENTERPRISE = {"name": "示范市青山科技有限公司", "uscc": "91110108551385082Q", "legal_rep_name": "赵敏",
              "legal_rep_id_number": "360102199002150020", "mobile": "13912345678", "password": PASSWORD}


def _post(client, path: str, data: dict):
    return client.post(path, json.dumps(data), content_type="application/json")


def test_the_api_registers_a_citizen(client):
    response = _post(client, "/api/v1/accounts/register/citizen", CITIZEN)
    assert response.status_code == 201
    assert response.json() == {"kind": "citizen", "display_name": "王小明", "login": "110105********0016"}
    assert User.objects.get(username="110105198001010016").citizen.gender == "M"


def test_the_api_refuses_a_duplicate_citizen_with_409(client, applicant):
    response = _post(client, "/api/v1/accounts/register/citizen", {**CITIZEN, "id_number": "11010519491231002X"})
    assert response.status_code == 409
    assert response.json() == {"code": "duplicate", "message": "该公民身份号码已注册，请直接登录或找回密码"}


def test_the_api_refuses_a_weak_password_with_400(client):
    response = _post(client, "/api/v1/accounts/register/citizen", {**CITIZEN, "password": "password"})
    assert response.status_code == 400 and response.json()["code"] == "weak_password"
    assert "密码至少需要 10 个字符" in response.json()["message"]
    assert not User.objects.exists()


def test_the_api_refuses_an_invalid_id_number_with_400(client):
    response = _post(client, "/api/v1/accounts/register/citizen", {**CITIZEN, "id_number": "110105198001010010"})
    assert response.status_code == 400
    assert response.json() == {"code": "invalid_identifier", "message": "公民身份号码校验码错误"}


def test_the_api_refuses_a_missing_name_in_chinese(client):
    response = _post(client, "/api/v1/accounts/register/citizen", {k: v for k, v in CITIZEN.items() if k != "name"})
    assert response.status_code == 400 and response.json() == {"code": "invalid", "message": "请填写姓名"}


def test_the_api_registers_an_enterprise(client):
    response = _post(client, "/api/v1/accounts/register/enterprise", ENTERPRISE)
    assert response.status_code == 201 and response.json()["login"] == "91110108551385082Q"


def test_the_api_refuses_a_duplicate_enterprise_with_409(client, enterprise_user):
    response = _post(client, "/api/v1/accounts/register/enterprise", {**ENTERPRISE, "uscc": "91110000600037341L"})
    assert response.status_code == 409 and response.json()["code"] == "duplicate"


def test_registration_needs_no_csrf_token(db):
    from django.test import Client

    response = _post(Client(enforce_csrf_checks=True), "/api/v1/accounts/register/citizen", CITIZEN)
    assert response.status_code == 201


def test_me_returns_the_masked_profile_to_the_session(client, applicant):
    client.force_login(applicant)
    data = client.get("/api/v1/accounts/me").json()
    assert data["id_number"] == "110105********002X" and data["mobile"] == "138****0001"
    assert data["birth_date"] == "1949-12-31" and data["gender"] == "F" and data["display_name"] == "李娟"


def test_me_labels_the_account_kind_in_the_readers_language(client, applicant):
    client.force_login(applicant)
    assert client.get("/api/v1/accounts/me").json()["kind_label"] == "自然人"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 200, response.content
    assert (response.json()["kind"], response.json()["kind_label"]) == ("citizen", "Individual")


def test_me_needs_authentication(client, db):
    assert client.get("/api/v1/accounts/me").status_code == 401


def test_a_bearer_token_authenticates_on_the_api(client, applicant, sysadmin):
    clear, _token = do_issue_api_token(actor=sysadmin, user=applicant, name="社保系统")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert response.status_code == 200 and response.json()["display_name"] == "李娟"
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {clear}").json()["mobile"] == "138****0001"


def test_a_wrong_token_is_401(client, applicant, sysadmin):
    clear, _token = do_issue_api_token(actor=sysadmin, user=applicant, name="社保系统")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {clear}x").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer zt_not-a-token").status_code == 401


def test_a_revoked_token_is_401(client, applicant, sysadmin):
    clear, token = do_issue_api_token(actor=sysadmin, user=applicant, name="社保系统")
    do_revoke_api_token(actor=sysadmin, token=token)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {clear}").status_code == 401


def test_a_token_of_a_deactivated_user_is_401(client, applicant, sysadmin):
    from zhengtong.core.accounts.actions import do_set_user_active

    clear, _token = do_issue_api_token(actor=sysadmin, user=applicant, name="社保系统")
    do_set_user_active(actor=sysadmin, user=applicant, active=False)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {clear}").status_code == 401


def test_only_the_digest_of_a_token_is_stored(applicant, sysadmin):
    clear, token = do_issue_api_token(actor=sysadmin, user=applicant, name="社保系统")
    token.refresh_from_db()
    assert clear not in (token.digest, token.prefix) and clear[3:11] == token.prefix
