"""Download an attachment, streamed from storage after a permission check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from zhengtong.core.files.queries import access_attachment_by_id


@require_GET
@login_required
def download(request: HttpRequest, attachment_id: int) -> FileResponse:
    attachment = access_attachment_by_id(request.user, attachment_id)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True,
                            filename=attachment.original_name, content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    return response
