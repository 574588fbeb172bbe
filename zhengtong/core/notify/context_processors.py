"""The unread-message count shown next to the user's name in the public site's header."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from zhengtong.core.notify.queries import unread_count


def unread_messages(request: HttpRequest) -> dict[str, Any]:
    """``zt_unread``: the user's unread inbox messages, counted once and only if a template asks.

    Every page (the console's too) runs the context processors but only the public header reads
    the count, so it is a cached callable: the template engine calls it on first use (one COUNT
    query) and gets a plain int, which ``{% blocktrans count %}`` needs. Anonymous visitors get
    no key and no query.
    """
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}

    @cache
    def count() -> int:
        return unread_count(user)

    return {"zt_unread": count}
