"""Who may download an attachment: its uploader, or whoever an owner app's rule admits.

An app that owns attachments registers a rule for its ``object_type``::

    from zhengtong.core.files.access import register_download_rule

    @register_download_rule("seals.signeddocument")
    def _staff_in_scope(user, attachment) -> bool:
        ...

Rules only grant; a user no rule admits is refused (deny by default).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zhengtong.core.files.models import Attachment

DownloadRule = Callable[..., bool]

RULES: dict[str, list[DownloadRule]] = {}


def register_download_rule(object_type: str) -> Callable[[DownloadRule], DownloadRule]:
    def decorator(rule: DownloadRule) -> DownloadRule:
        RULES.setdefault(object_type, []).append(rule)
        return rule

    return decorator


def can_download(user, attachment: Attachment) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if attachment.uploaded_by_id is not None and attachment.uploaded_by_id == user.pk:
        return True
    return any(rule(user, attachment) for rule in RULES.get(attachment.object_type, ()))
