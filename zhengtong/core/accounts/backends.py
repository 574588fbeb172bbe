"""Authentication: staff log in by username; citizens by ID number or mobile; enterprises by credit code."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from zhengtong.core.accounts.models import User, UserKind


class AccountBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        login = username.strip()
        user = (
            User.objects.filter(
                Q(username=login)
                | Q(citizen__id_number=login.upper())
                | Q(enterprise__uscc=login.upper())
                | Q(kind=UserKind.CITIZEN, mobile=login)
            ).order_by("id").first()
        )
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def has_perm(self, user_obj, perm, obj=None):
        # Staff reach the Wagtail-based console; what they may do there is decided by
        # core.permissions grants, never by Django model permissions.
        if perm == "wagtailadmin.access_admin":
            return bool(user_obj.is_active and getattr(user_obj, "kind", "") == UserKind.STAFF)
        return super().has_perm(user_obj, perm, obj)
