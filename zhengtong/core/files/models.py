"""Uploaded files: stored through Django's default storage (local disk, or S3 when
``ZT_S3_BUCKET`` is set), named by a random key, never by the uploader's file name."""

from __future__ import annotations

import secrets
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


def attachment_path(instance: Attachment, filename: str) -> str:
    """``attachments/2026/05/<random>.<ext>``: the original name is kept only in the row."""
    ext = PurePath(filename).suffix.lower()[:10]
    return f"attachments/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{ext}"


class Attachment(models.Model):
    file = models.FileField("文件", upload_to=attachment_path, max_length=255)
    original_name = models.CharField("原文件名", max_length=255)
    kind = models.CharField("文件类型", max_length=16)
    content_type = models.CharField("MIME 类型", max_length=120)
    size = models.PositiveBigIntegerField("大小（字节）")
    sm3 = models.CharField("SM3 摘要", max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="attachments", verbose_name="上传人")
    created_at = models.DateTimeField("上传时间", default=timezone.now)
    # What the file belongs to, as strings so any app can own attachments without an FK
    # into it (dependencies point inward): e.g. ("seals.signeddocument", "42").
    object_type = models.CharField("所属对象类型", max_length=100, blank=True)
    object_id = models.CharField("所属对象编号", max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "附件"
        indexes = [models.Index(fields=["object_type", "object_id"], name="files_attachment_owner")]

    def __str__(self) -> str:
        return self.original_name

    def audit_view(self) -> dict[str, Any]:
        return {"name": self.original_name, "kind": self.kind, "size": self.size, "sm3": self.sm3,
                "object_type": self.object_type, "object_id": self.object_id}
