"""Permission-checked reads of attachments."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from zhengtong.core.files.access import can_download
from zhengtong.core.files.models import Attachment


def access_attachment_by_id(user, attachment_id: int) -> Attachment:
    """The attachment if ``user`` may download it; 404 when it does not exist, 403 otherwise."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404(_("附件不存在"))
    if not can_download(user, attachment):
        raise PermissionDenied(_("您没有下载该附件的权限"))
    return attachment
