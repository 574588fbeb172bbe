from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from zhengtong.core.accounts.actions import do_set_user_active
from zhengtong.core.audit.models import AuditEntry
from zhengtong.testing.personas import PASSWORD, login_staff, totp_now


def _login(client, username: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _user_id(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def test_a_citizen_logs_in_by_id_number_even_with_a_lower_case_x(client, applicant):
    response = _login(client, "11010519491231002x")
    assert response.status_code == 302 and response["Location"] == "/"
    assert _user_id(client) == applicant.pk


def test_a_citizen_logs_in_by_mobile(client, applicant):
    assert _login(client, " 13800000001 ").status_code == 302
    assert _user_id(client) == applicant.pk


def test_an_enterprise_logs_in_by_credit_code(client, enterprise_user):
    assert _login(client, "91110000600037341l").status_code == 302
    assert _user_id(client) == enterprise_user.pk


def test_an_enterprise_mobile_is_not_a_login(client, enterprise_user):
    assert _login(client, "13900000002").status_code == 400


def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(client, applicant):
    wrong = _login(client, "11010519491231002X", "Wrong-Passw0rd")
    unknown = _login(client, "110105198001010016", "Wrong-Passw0rd")
    assert wrong.status_code == unknown.status_code == 400
    assert "账号或密码错误" in wrong.content.decode()
    strip = lambda r: r.content.decode().replace("11010519491231002X", "").replace("110105198001010016", "")  # noqa: E731
    assert strip(wrong).count("账号或密码错误") == strip(unknown).count("账号或密码错误")


def test_a_deactivated_account_cannot_log_in_and_is_not_told_why(client, applicant, sysadmin):
    do_set_user_active(actor=sysadmin, user=applicant, active=False)
    response = _login(client, "11010519491231002X")
    assert response.status_code == 400 and "账号或密码错误" in response.content.decode()


def test_staff_need_a_totp_code_after_the_password(client, clerk):
    response = _login(client, "clerk.zhang")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/otp/"
    assert _user_id(client) is None  # the password alone does not log staff in
    response = client.post("/accounts/login/otp/", {"token": totp_now(clerk)})
    assert response.status_code == 302 and response["Location"] == "/console/"
    assert _user_id(client) == clerk.pk
    assert AuditEntry.objects.filter(action="accounts.login.succeeded", actor=clerk,
                                     after__second_factor=True).exists()


def test_a_wrong_totp_code_is_refused_with_400_in_chinese(client, clerk):
    _login(client, "clerk.zhang")
    good = totp_now(clerk)
    response = client.post("/accounts/login/otp/", {"token": f"{(int(good) + 1) % 1_000_000:06d}"})
    assert response.status_code == 400 and "动态口令错误或已过期" in response.content.decode()
    assert _user_id(client) is None


def test_a_malformed_totp_code_is_refused(client, clerk):
    _login(client, "clerk.zhang")
    response = client.post("/accounts/login/otp/", {"token": "12ab"})
    assert response.status_code == 400 and "动态口令为 6 位数字" in response.content.decode()


def test_the_totp_step_without_the_password_step_goes_back_to_login(client, clerk):
    response = client.post("/accounts/login/otp/", {"token": totp_now(clerk)})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"


def test_a_stale_password_step_expires(client, clerk):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _login(client, "clerk.zhang")
        traveller.shift(timedelta(minutes=6))
        response = client.post("/accounts/login/otp/", {"token": totp_now(clerk)})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert _user_id(client) is None


def test_the_next_parameter_is_honoured_only_on_this_site(client, applicant):
    response = client.post("/accounts/login/", {"username": "13800000001", "password": PASSWORD,
                                                "next": "https://evil.example/"})
    assert response["Location"] == "/"
    client.logout()
    response = client.post("/accounts/login/", {"username": "13800000001", "password": PASSWORD,
                                                "next": "/accounts/me/"})
    assert response["Location"] == "/accounts/me/"


def test_a_staff_session_without_the_second_factor_is_not_a_session(client, clerk):
    # e.g. Wagtail's own password-only login form at /console/login/
    client.force_login(clerk)
    response = client.get("/console/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert _user_id(client) is None


def test_staff_without_an_authenticator_enroll_one_at_first_login(client, city):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from zhengtong.core.accounts.totp import PENDING_KEY
    from zhengtong.testing.personas import staff

    newcomer = staff("new.staff", "新同事", city.dept("approval"), totp=False)
    assert _login(client, "new.staff")["Location"] == "/accounts/login/otp/"
    response = client.get("/accounts/login/otp/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/otp/enroll/"
    page = client.get("/accounts/login/otp/enroll/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    key = client.session[PENDING_KEY]
    code = f"{totp(bytes.fromhex(key)):06d}"
    response = client.post("/accounts/login/otp/enroll/", {"token": code})
    assert response.status_code == 302 and response["Location"] == "/console/"
    assert TOTPDevice.objects.get(user=newcomer).key == key


@pytest.mark.parametrize("method", ["get", "post"])
def test_logout_needs_a_post(client, applicant, method):
    client.force_login(applicant)
    response = getattr(client, method)("/accounts/logout/")
    if method == "get":
        assert response.status_code == 405 and _user_id(client) == applicant.pk
    else:
        assert response.status_code == 302 and _user_id(client) is None
        assert AuditEntry.objects.filter(action="accounts.logout", actor=applicant).exists()


def test_staff_log_out_of_the_console(client, clerk):
    login_staff(client, clerk)
    client.post("/accounts/logout/")
    assert client.get("/console/").status_code == 302
