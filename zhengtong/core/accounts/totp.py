"""What a staff member needs to set up an authenticator app: the otpauth URL as a QR code
and the Base32 secret to type in by hand. The pending secret lives in the session until
a code from it is confirmed."""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass

import segno
from django.contrib.sessions.backends.base import SessionBase
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengtong.core.accounts.actions import new_totp_key
from zhengtong.core.accounts.models import User

PENDING_KEY = "zt_totp_pending_key"


@dataclass(frozen=True)
class Enrollment:
    key: str
    secret: str  # Base32, grouped by four for reading aloud
    url: str
    qr_svg: str


def pending_key(session: SessionBase, *, fresh: bool = False) -> str:
    """The secret being enrolled in this session (created on first use)."""
    if fresh or not session.get(PENDING_KEY):
        session[PENDING_KEY] = new_totp_key()
    return session[PENDING_KEY]


def enrollment(user: User, key: str) -> Enrollment:
    url = TOTPDevice(user=user, key=key, name="pending").config_url
    secret = b32encode(bytes.fromhex(key)).decode().rstrip("=")
    grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    return Enrollment(key=key, secret=grouped, url=url, qr_svg=segno.make(url, error="m").svg_inline(scale=5))
