"""Writes of the files app: check an upload by its content, store it, bind it to an owner."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from zhengtong.core.audit.log import record
from zhengtong.core.db.inserts import insert
from zhengtong.core.db.updates import save_fields
from zhengtong.core.files.kinds import DEFAULT_KINDS, KINDS, detect
from zhengtong.core.files.models import Attachment
from zhengtong.lib.gm import Sm3Stream

CHUNK = 64 * 1024


class UploadRefused(Exception):
    """An upload we will not store; ``status`` is the HTTP status the API answers with."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


@dataclass(frozen=True)
class CheckedUpload:
    file: UploadedFile
    name: str
    kind: str
    content_type: str
    size: int


def human_size(n: int) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def clean_name(name: str) -> str:
    """The base name, without directories or control characters, at most 255 characters."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if len(base) > 255:
        suffix = PurePath(base).suffix[:20]
        base = base[: 255 - len(suffix)] + suffix
    return base or "file"


def _labels(kinds: Iterable[str]) -> str:
    return "、".join(KINDS[k].label for k in sorted(kinds))


def _check_size(size: int) -> None:
    limit = settings.ZT_UPLOAD_MAX_BYTES
    if size > limit:
        raise UploadRefused("too_large", _("文件过大：%(size)s，上限为 %(limit)s。")
                            % {"size": human_size(size), "limit": human_size(limit)}, status=413)
    if size == 0:
        raise UploadRefused("empty", _("文件为空。"))


def _check_kind(name: str, actual: str | None, allowed: frozenset[str]) -> None:
    ext = PurePath(name).suffix.lower()
    if actual == "exe":
        raise UploadRefused("executable", _("不允许上传可执行文件（%(name)s）。") % {"name": name})
    if actual not in allowed:
        raise UploadRefused("unsupported_type", _("不支持的文件类型：只能上传 %(kinds)s 文件。")
                            % {"kinds": _labels(allowed)})
    if ext not in KINDS[actual].extensions:
        raise UploadRefused("extension_mismatch",
                            _("文件内容与扩展名不符：“%(name)s”的内容是 %(actual)s，请使用扩展名 %(exts)s。")
                            % {"name": name, "actual": KINDS[actual].label,
                               "exts": "、".join(sorted(KINDS[actual].extensions))})


def check_upload(uploaded: UploadedFile, allowed_kinds: Iterable[str] = DEFAULT_KINDS) -> CheckedUpload:
    """Refuse an upload that is too big, empty, executable, of a kind not allowed, or misnamed."""
    allowed = frozenset(allowed_kinds)
    name = clean_name(uploaded.name or "")
    _check_size(uploaded.size or 0)
    actual = detect(uploaded)
    _check_kind(name, actual, allowed)
    assert actual is not None
    return CheckedUpload(uploaded, name, actual, KINDS[actual].mime, uploaded.size or 0)


def sm3_of(uploaded: UploadedFile) -> str:
    """SM3 of the upload, read in chunks (a large file never sits whole in memory)."""
    digest = Sm3Stream()
    uploaded.seek(0)
    for chunk in uploaded.chunks(CHUNK):
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def _discard(attachment: Attachment) -> None:
    if attachment.file.name:
        attachment.file.storage.delete(attachment.file.name)


def do_store_attachment(checked: CheckedUpload, *, actor, object_type: str = "",
                        object_id: str = "") -> Attachment:
    """Store a checked upload in the default storage and record it; no orphan file on failure."""
    attachment = Attachment(original_name=checked.name, kind=checked.kind, content_type=checked.content_type,
                            size=checked.size, sm3=sm3_of(checked.file),
                            uploaded_by=actor if getattr(actor, "pk", None) else None,
                            object_type=object_type, object_id=str(object_id))
    ext = PurePath(checked.name).suffix.lower()
    try:
        with transaction.atomic(savepoint=False):
            attachment.file.save(f"upload{ext}", checked.file, save=False)
            insert([attachment])  # the file is stored (above): its pre_save does not store it again
            record("files.attachment.store", actor=actor, obj=attachment, after=attachment.audit_view())
    except BaseException:
        _discard(attachment)
        raise
    return attachment


def discard_on_rollback(attachment: Attachment) -> None:
    """For a caller whose own transaction fails after storing: delete the stored bytes."""
    _discard(attachment)


@transaction.atomic(savepoint=False)
def do_bind_attachment(attachment: Attachment, *, object_type: str, object_id: str, actor) -> None:
    """Record which object owns the attachment."""
    before = {"object_type": attachment.object_type, "object_id": attachment.object_id}
    attachment.object_type, attachment.object_id = object_type, str(object_id)
    save_fields(attachment, ["object_type", "object_id"])
    record("files.attachment.bind", actor=actor, obj=attachment, before=before,
           after={"object_type": object_type, "object_id": str(object_id)})
