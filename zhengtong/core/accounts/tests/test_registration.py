from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.db import IntegrityError

from zhengtong.core.accounts import actions
from zhengtong.core.accounts.models import CitizenProfile, EnterpriseProfile, User
from zhengtong.core.audit.models import AuditEntry
from zhengtong.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

CITIZEN = {"name": "王小明", "id_number": "110105198001010016", "mobile": "138 1234 5678",
           "password": PASSWORD, "password2": PASSWORD}
ENTERPRISE = {"name": "示范市青山科技有限公司", "uscc": "91110108551385082q", "legal_rep_name": "赵敏",
              "legal_rep_id_number": "360102199002150020", "mobile": "13912345678", "password": PASSWORD,
              "password2": PASSWORD}


def test_it_registers_a_citizen_and_derives_birth_date_and_gender(client):
    response = client.post("/accounts/register/citizen/", CITIZEN)
    assert response.status_code == 302 and response["Location"] == "/accounts/me/"
    user = User.objects.get(username="110105198001010016")
    assert user.kind == "citizen" and user.mobile == "13812345678" and user.display_name == "王小明"
    assert user.citizen.birth_date == date(1980, 1, 1) and user.citizen.gender == "M"
    entry = AuditEntry.objects.get(action="accounts.citizen.registered")
    assert entry.after["id_number"] == "110105********0016"  # the log never holds the full number


def test_registration_logs_the_citizen_in(client):
    client.post("/accounts/register/citizen/", CITIZEN)
    assert client.get("/accounts/me/").status_code == 200


def test_it_refuses_an_invalid_id_number_in_chinese(client):
    response = client.post("/accounts/register/citizen/", {**CITIZEN, "id_number": "110105198001010010"})
    assert response.status_code == 400
    assert "公民身份号码校验码错误" in response.content.decode()
    assert not User.objects.exists()


def test_it_refuses_a_duplicate_id_number_with_409(client, applicant):
    response = client.post("/accounts/register/citizen/",
                           {**CITIZEN, "id_number": "11010519491231002x", "mobile": "13700000000"})
    assert response.status_code == 409
    assert "该公民身份号码已注册" in response.content.decode()
    assert User.objects.filter(kind="citizen").count() == 1


def test_it_refuses_a_mobile_already_used_by_another_citizen_with_409(client, applicant):
    response = client.post("/accounts/register/citizen/", {**CITIZEN, "mobile": applicant.mobile})
    assert response.status_code == 409
    assert "该手机号码已被其他个人账户使用" in response.content.decode()


def test_it_refuses_a_weak_password_with_400(client):
    response = client.post("/accounts/register/citizen/", {**CITIZEN, "password": "abc12345", "password2": "abc12345"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "密码至少需要 10 个字符" in body and "至少 3 类" in body
    assert not User.objects.exists()


def test_it_refuses_mismatched_passwords(client):
    response = client.post("/accounts/register/citizen/", {**CITIZEN, "password2": PASSWORD + "x"})
    assert response.status_code == 400 and "两次输入的密码不一致" in response.content.decode()


def test_a_failing_profile_leaves_no_user_row_behind(db):
    with mock.patch.object(CitizenProfile.objects, "create", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            actions.check_register_citizen(name="王小明", id_number="110105198001010016",
                                           mobile="13812345678", password=PASSWORD)
    assert not User.objects.exists()
    assert not AuditEntry.objects.filter(action="accounts.citizen.registered").exists()


def test_a_race_lost_to_a_concurrent_registration_is_reported_as_a_duplicate(db):
    with mock.patch.object(CitizenProfile.objects, "create", side_effect=IntegrityError("unique")):
        with pytest.raises(actions.DuplicateRegistration):
            actions.check_register_citizen(name="王小明", id_number="110105198001010016",
                                           mobile="13812345678", password=PASSWORD)
    assert not User.objects.exists()


def test_it_registers_an_enterprise_with_its_legal_representative(client):
    response = client.post("/accounts/register/enterprise/", ENTERPRISE)
    assert response.status_code == 302
    profile = EnterpriseProfile.objects.get(uscc="91110108551385082Q")
    assert profile.legal_rep_name == "赵敏" and profile.legal_rep_id_number == "360102199002150020"
    assert profile.user.kind == "enterprise" and profile.user.username == "91110108551385082Q"


def test_it_refuses_an_invalid_credit_code(client):
    response = client.post("/accounts/register/enterprise/", {**ENTERPRISE, "uscc": "91110108551385082A"})
    assert response.status_code == 400 and "统一社会信用代码校验码错误" in response.content.decode()


def test_it_refuses_a_duplicate_credit_code_with_409(client, enterprise_user):
    response = client.post("/accounts/register/enterprise/", {**ENTERPRISE, "uscc": "91110000600037341L"})
    assert response.status_code == 409 and "该统一社会信用代码已注册" in response.content.decode()


def test_an_enterprise_failing_profile_leaves_no_user_row_behind(db):
    with mock.patch.object(EnterpriseProfile.objects, "create", side_effect=RuntimeError("boom")):
        with pytest.raises(RuntimeError):
            actions.check_register_enterprise(name="某公司", uscc="91110108551385082Q", legal_rep_name="赵敏",
                                              legal_rep_id_number="360102199002150020",
                                              mobile="13912345678", password=PASSWORD)
    assert not User.objects.exists()
