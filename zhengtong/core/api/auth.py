from __future__ import annotations

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from zhengtong.lib.gm import sm3_hex


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer zt_…`` for other government systems."""

    def authenticate(self, request, token: str):
        from zhengtong.core.accounts.models import ApiToken

        found = (ApiToken.objects.select_related("user")
                 .filter(digest=sm3_hex(token.encode()), revoked_at__isnull=True, user__is_active=True).first())
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class SessionStaffOrPublicAuth(SessionAuth):
    """The browser's session (CSRF-checked for unsafe methods by django-ninja)."""
