from __future__ import annotations

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengtong.core.accounts.totp import PENDING_KEY
from zhengtong.core.audit.models import AuditEntry
from zhengtong.testing.personas import TOTP_KEY, login_staff, totp_now


def _code_for(key: str) -> str:
    return f"{totp(bytes.fromhex(key)):06d}"


def _next_code(user) -> str:
    """The login consumed this time step's code (replay protection); the next step's is accepted."""
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, t0=-device.step):06d}"


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_the_page_shows_a_qr_code_and_the_base32_secret(client, clerk):
    login_staff(client, clerk)
    response = client.get("/console/accounts/totp/")
    body = response.content.decode()
    assert response.status_code == 200 and "<svg" in body and 'data-testid="totp-secret"' in body
    from base64 import b32encode

    secret = b32encode(bytes.fromhex(client.session[PENDING_KEY])).decode().rstrip("=")
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in body


def test_reenrolling_needs_the_current_code(client, clerk):
    login_staff(client, clerk)
    client.get("/console/accounts/totp/")
    key = client.session[PENDING_KEY]
    response = client.post("/console/accounts/totp/", {"current_token": _wrong(totp_now(clerk)),
                                                        "token": _code_for(key)})
    assert response.status_code == 400 and "当前动态口令错误或已过期" in response.content.decode()
    assert TOTPDevice.objects.get(user=clerk).key == TOTP_KEY


def test_reenrolling_needs_a_code_from_the_new_secret(client, clerk):
    login_staff(client, clerk)
    client.get("/console/accounts/totp/")
    key = client.session[PENDING_KEY]
    response = client.post("/console/accounts/totp/", {"current_token": _next_code(clerk),
                                                        "token": _wrong(_code_for(key))})
    assert response.status_code == 400 and "新令牌的动态口令不正确" in response.content.decode()
    assert TOTPDevice.objects.get(user=clerk).key == TOTP_KEY


def test_reenrolling_replaces_the_device_and_keeps_the_session(client, clerk):
    login_staff(client, clerk)
    client.get("/console/accounts/totp/")
    key = client.session[PENDING_KEY]
    response = client.post("/console/accounts/totp/", {"current_token": _next_code(clerk), "token": _code_for(key)})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert TOTPDevice.objects.get(user=clerk).key == key
    assert AuditEntry.objects.filter(action="accounts.totp.enrolled", actor=clerk).exists()
    assert client.get("/console/").status_code == 200  # still verified, with the new device
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "clerk.zhang", "password": "Zt-Test-Passw0rd"})
    assert client.post("/accounts/login/otp/", {"token": totp_now(clerk)})["Location"] == "/console/"


def test_the_public_have_no_totp_page(client, applicant):
    client.force_login(applicant)
    assert client.get("/console/accounts/totp/").status_code in (302, 403)
