"""Authentication: staff log in by username; citizens by ID number or mobile; enterprises by credit code."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from zhengtong.core.accounts.models import User, UserKind


def find_account(login: str) -> User | None:
    """The one account a login identifier names, or None.

    Precedence is fixed (username, ID number, credit code, citizen mobile) so that no
    identifier can shadow another account; a mobile shared by several citizens names none.
    """
    login = (login or "").strip()
    if not login:
        return None
    upper = login.upper()
    for lookup in ({"username": login}, {"citizen__id_number": upper}, {"enterprise__uscc": upper}):
        user = User.objects.filter(**lookup).first()
        if user is not None:
            return user
    mobiles = list(User.objects.filter(kind=UserKind.CITIZEN, mobile=login)[:2])
    return mobiles[0] if len(mobiles) == 1 else None


def lockout_key(login: str) -> str:
    """What django-axes counts failures against: the account's username when the identifier
    names one (so ID number and mobile share one counter), else the typed identifier."""
    user = find_account(login)
    return user.username if user is not None else (login or "").strip().upper()


class AccountBackend(ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> User | None:
        if not username or password is None:
            return None
        user = find_account(username)
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        # Staff reach the Wagtail-based console; what they may do there is decided by
        # core.permissions grants, never by Django model permissions.
        if perm == "wagtailadmin.access_admin":
            return bool(user_obj.is_active and getattr(user_obj, "kind", "") == UserKind.STAFF)
        return super().has_perm(user_obj, perm, obj)
