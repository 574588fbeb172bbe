"""Uploads over the API (mounted at /api/v1/files/)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Router, Status
from ninja.files import UploadedFile

from zhengtong.core.api.errors import ErrorOut
from zhengtong.core.files.actions import UploadRefused, check_upload, do_store_attachment
from zhengtong.core.files.models import Attachment
from zhengtong.core.files.schemas import AttachmentOut

router = Router(tags=["files"])


def attachment_out(attachment: Attachment) -> dict:
    return {"id": attachment.pk, "original_name": attachment.original_name, "kind": attachment.kind,
            "content_type": attachment.content_type, "size": attachment.size, "sm3": attachment.sm3,
            "url": reverse("files:download", args=[attachment.pk])}


@router.post("/", response={201: AttachmentOut, 400: ErrorOut, 413: ErrorOut}, summary="上传附件")
def upload(request: HttpRequest, file: File[UploadedFile]):
    try:
        attachment = do_store_attachment(check_upload(file), actor=request.user)
    except UploadRefused as exc:
        return Status(exc.status, {"code": exc.code, "message": exc.message})
    return Status(201, attachment_out(attachment))
