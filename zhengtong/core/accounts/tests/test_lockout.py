from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from zhengtong.testing.personas import PASSWORD, totp_now

BAD = "Wrong-Passw0rd"
LOCKED = "登录失败次数过多，账户已锁定 15 分钟"


def _login(client, username: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _wrong_code(user) -> str:
    return f"{(int(totp_now(user)) + 1) % 1_000_000:06d}"


def test_five_wrong_passwords_lock_the_account_with_429_in_chinese(client, applicant):
    statuses = [_login(client, "11010519491231002X", BAD).status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    response = _login(client, "11010519491231002X")  # even the right password
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_by_id_number_and_by_mobile_count_against_one_account(client, applicant):
    for login in ("11010519491231002X", "13800000001", "11010519491231002x", "13800000001"):
        assert _login(client, login, BAD).status_code == 400
    assert _login(client, "13800000001", BAD).status_code == 429
    assert _login(client, "11010519491231002X").status_code == 429


def test_the_account_is_still_locked_just_before_fifteen_minutes(client, applicant):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            _login(client, "13800000001", BAD)
        traveller.shift(timedelta(minutes=14, seconds=59))
        assert _login(client, "13800000001").status_code == 429


def test_login_works_again_after_the_fifteen_minute_cool_off(client, applicant):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            _login(client, "13800000001", BAD)
        traveller.shift(timedelta(minutes=15, seconds=1))
        response = _login(client, "13800000001")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(applicant.pk)


def test_a_successful_login_resets_the_failure_count(client, applicant):
    for _ in range(4):
        _login(client, "13800000001", BAD)
    assert _login(client, "13800000001").status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "13800000001", BAD).status_code == 400


def test_wrong_totp_codes_count_as_failed_logins(client, clerk):
    _login(client, "clerk.zhang")
    statuses = [client.post("/accounts/login/otp/", {"token": _wrong_code(clerk)}).status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    assert _login(client, "clerk.zhang").status_code == 429


def test_wrong_passwords_and_wrong_codes_add_up(client, clerk):
    for _ in range(3):
        _login(client, "clerk.zhang", BAD)
    _login(client, "clerk.zhang")
    assert client.post("/accounts/login/otp/", {"token": _wrong_code(clerk)}).status_code == 400
    response = client.post("/accounts/login/otp/", {"token": _wrong_code(clerk)})
    assert response.status_code == 429 and LOCKED in response.content.decode()
    # The pending password step is gone; a right code does not get in during the lockout.
    assert client.post("/accounts/login/otp/", {"token": totp_now(clerk)}).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_staff_member_gets_in_with_password_and_code_after_the_cool_off(client, clerk):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            _login(client, "clerk.zhang", BAD)
        traveller.shift(timedelta(minutes=16))
        assert _login(client, "clerk.zhang").status_code == 302
        response = client.post("/accounts/login/otp/", {"token": totp_now(clerk)})
    assert response.status_code == 302 and response["Location"] == "/console/"


def test_an_unknown_account_locks_the_same_way_so_lockout_reveals_nothing(client, db):
    statuses = [_login(client, "110105198001010016", BAD).status_code for _ in range(6)]
    assert statuses == [400, 400, 400, 400, 429, 429]


def test_one_locked_account_does_not_lock_another(client, applicant, enterprise_user):
    for _ in range(5):
        _login(client, "13800000001", BAD)
    assert _login(client, "91110000600037341L").status_code == 302


def test_failed_logins_and_the_lockout_are_audited(client, applicant):
    from zhengtong.core.audit.models import AuditEntry

    for _ in range(5):
        _login(client, "11010519491231002X", BAD)
    failed = AuditEntry.objects.filter(action="accounts.login.failed", object_id=str(applicant.pk))
    assert failed.count() == 5
    locked = AuditEntry.objects.get(action="accounts.login.locked_out")
    assert locked.object_id == str(applicant.pk) and locked.ip == "127.0.0.1"
    assert BAD not in str(locked.after) and BAD not in str(failed.first().after)
