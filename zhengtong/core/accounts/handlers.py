"""Audit what django-axes sees: every failed login and every lockout is a security event."""

from __future__ import annotations

from django.db import transaction

from zhengtong.core.audit.log import record


def _account(username: str):
    from zhengtong.core.accounts.models import User

    return User.objects.filter(username=username).first() if username else None


def audit_login_failed(sender, credentials=None, request=None, **kwargs) -> None:
    username = (credentials or {}).get("username", "")
    user = _account(username)
    with transaction.atomic():
        # Unknown names are recorded without the typed text (it may be a mistyped password).
        record("accounts.login.failed", obj=user, role="anonymous",
               object_type="accounts.user", object_id=str(user.pk) if user else "",
               after={"known_account": user is not None})


def audit_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    user = _account(username or "")
    with transaction.atomic():
        record("accounts.login.locked_out", obj=user, role="anonymous", object_type="accounts.user",
               object_id=str(user.pk) if user else "", after={"known_account": user is not None})
