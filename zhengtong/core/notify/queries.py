"""Scoped reads: a user sees only their own inbox."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from zhengtong.core.notify.models import Channel, Message


def inbox_for(user: Any) -> QuerySet[Message]:
    return Message.objects.filter(recipient=user, channel=Channel.INBOX).order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return inbox_for(user).filter(read_at__isnull=True).count()


def access_message_by_id(user: Any, message_id: int) -> Message:
    """The user's own inbox message, or 404 (someone else's message does not exist for them)."""
    return get_object_or_404(inbox_for(user), pk=message_id)


def recipients_holding(action: str) -> QuerySet:
    """Active users granted a role that includes ``action`` (e.g. the audit admins)."""
    from zhengtong.core.accounts.models import User
    from zhengtong.core.permissions.checks import holders

    return User.objects.filter(pk__in=[user.pk for user in holders(action)])
