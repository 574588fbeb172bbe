from __future__ import annotations

from datetime import datetime

from ninja import Schema


class VerifyOut(Schema):
    status: str
    status_label: str
    title: str
    file_name: str
    seal: str
    department: str
    signed_at: datetime
    sm3: str
    signature: str
    public_key: str
    algorithm: str
    signature_valid: bool
    digest_match: bool | None = None
    revoked_at: datetime | None = None


class SignedOut(Schema):
    id: int
    verify_code: str
    verify_url: str
    sm3: str
    signature: str
    attachment_id: int | None
