"""Seal writes (create/rotate, sign, revoke) and the public verification they serve."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengtong.core.audit.log import record
from zhengtong.core.db.compiled import CompiledQuery
from zhengtong.core.db.inserts import insert
from zhengtong.core.files.actions import (
    check_upload,
    discard_on_rollback,
    do_bind_attachment,
    do_store_attachment,
)
from zhengtong.core.org.models import Department
from zhengtong.core.permissions.checks import require
from zhengtong.core.seals.keys import open_private_key, seal_private_key
from zhengtong.core.seals.models import Seal, SignedDocument
from zhengtong.core.seals.signers import get_signer

OBJECT_TYPE = "seals.signeddocument"
SIGNABLE_KINDS = frozenset({"pdf", "ofd", "docx", "xlsx", "jpeg", "png"})


class SealError(Exception):
    """A refused seal operation, with a message for the user."""


def default_seal_name(department: Department) -> str:
    # The seal's name is a legal fact stored with it: never translated to the admin's language.
    return f"{department.name}行政审批专用章"


def _retire(seal: Seal, *, actor) -> None:
    seal.active, seal.retired_at = False, timezone.now()
    seal.save(update_fields=["active", "retired_at"])
    record("seals.seal.retire", actor=actor, obj=seal, before={"active": True},
           after={"active": False, "public_key": seal.public_key})


@transaction.atomic
def do_create_seal(department: Department, *, actor, name: str = "") -> Seal:
    """Make a new key pair for the department's seal, retiring the one in use (rotation)."""
    require(actor, "seals.manage", department=department)
    if not department.is_active:
        raise SealError(_("部门“%(name)s”已停用，不能制作印章。") % {"name": department.name})
    old = Seal.objects.select_for_update(of=("self",)).filter(department=department, active=True).first()
    if old is not None:
        _retire(old, actor=actor)
    signer = get_signer()
    pair = signer.generate_keypair()
    seal = Seal(department=department, name=name.strip() or default_seal_name(department),
                algorithm=signer.algorithm, public_key=pair.public.hex(), created_by=actor)
    seal.save(force_insert=True)
    seal.private_key_encrypted = seal_private_key(seal, pair.private)  # the id is in the AAD
    seal.save(update_fields=["private_key_encrypted"])
    record("seals.seal.create", actor=actor, obj=seal,
           after={"department": department.code, "name": seal.name, "algorithm": seal.algorithm,
                  "public_key": seal.public_key, "replaces": old.pk if old else None})
    return seal


def _seal_for(target: Seal | Department) -> Seal:
    if isinstance(target, Seal):
        return target
    seal = Seal.objects.select_related("department__region").filter(department=target, active=True).first()
    if seal is None:
        raise SealError(_("“%(name)s”尚未制作电子印章。") % {"name": target.name})
    return seal


def _sign(seal: Seal, attachment: Any, title: str, *, actor) -> SignedDocument:
    signer = get_signer()
    digest = bytes.fromhex(attachment.sm3)
    signature = signer.sign_digest(open_private_key(seal), digest)
    if not signer.verify_digest(bytes.fromhex(seal.public_key), digest, signature):
        raise SealError(_("签名自检失败，请联系系统管理员检查签名服务。"))
    [document] = insert([SignedDocument(
        seal=seal, title=title, file_name=attachment.original_name, size=attachment.size,
        sm3=attachment.sm3, signature=signature.hex(), attachment=attachment, signed_by=actor)])
    record("seals.document.sign", actor=actor, obj=document,
           after={"seal": seal.pk, "title": title, "file": attachment.original_name, "sm3": document.sm3,
                  "signature": document.signature, "verify_code": document.verify_code})
    return document


def check_sign_document(target: Seal | Department, uploaded, title: str, *, actor) -> SignedDocument:
    """Check the upload, store it, and sign its SM3 digest with the department's active seal."""
    department = target.department if isinstance(target, Seal) else target
    require(actor, "seals.document.sign", department=department)
    return _store_and_sign(_seal_for(target), uploaded, title, actor=actor, allowed_kinds=SIGNABLE_KINDS)


def sign_as_system(seal: Seal, uploaded, title: str, *, allowed_kinds: frozenset[str] = SIGNABLE_KINDS
                   ) -> SignedDocument:
    """Sign on the department's behalf, with no person as signer (audit actor None).

    For an app whose own decision is the authority to seal (e.g. a granted case's licence):
    that app has checked the decision; ``seals.document.sign`` is not asked for here. The
    file is checked, stored and signed exactly as ``check_sign_document`` does."""
    return _store_and_sign(seal, uploaded, title, actor=None, allowed_kinds=allowed_kinds)


# Only the seal's row: the model's ordering would join (and so lock) its department, which every
# transaction writing a row of that department needs to share-lock at commit.
_LOCK_ACTIVE = CompiledQuery(lambda pk: Seal.objects.select_for_update(of=("self",)).filter(pk=pk, active=True)
                             .order_by().values_list("pk"))


def _store_and_sign(seal: Seal, uploaded, title: str, *, actor, allowed_kinds: frozenset[str]) -> SignedDocument:
    title = (title or "").strip()
    if not title:
        raise SealError(_("请填写文件标题。"))
    checked = check_upload(uploaded, allowed_kinds=allowed_kinds)
    attachment = None
    try:
        with transaction.atomic():
            if not _LOCK_ACTIVE.all(seal.pk):
                raise SealError(_("印章“%(name)s”已停用，不能再用于签章。") % {"name": seal.name})
            attachment = do_store_attachment(checked, actor=actor, object_type=OBJECT_TYPE)
            document = _sign(seal, attachment, title, actor=actor)
            do_bind_attachment(attachment, object_type=OBJECT_TYPE, object_id=str(document.pk), actor=actor)
    except BaseException:
        if attachment is not None:
            discard_on_rollback(attachment)
        raise
    return document


@transaction.atomic
def do_revoke_document(document: SignedDocument, *, actor, reason: str) -> None:
    """Mark a signed document revoked; verification then reports it as such."""
    require(actor, "seals.document.sign", department=document.seal.department)
    now = timezone.now()
    updated = SignedDocument.objects.filter(pk=document.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=actor, revoke_reason=reason.strip()[:200])
    if not updated:
        raise SealError(_("该文件已撤销。"))
    document.refresh_from_db(fields=["revoked_at", "revoked_by", "revoke_reason"])
    record("seals.document.revoke", actor=actor, obj=document, before={"revoked_at": None},
           after={"revoked_at": now.isoformat(), "reason": document.revoke_reason})


@transaction.atomic
def revoke_as_system(document: SignedDocument, *, reason: str, actor=None) -> SignedDocument:
    """Revoke a signed document because an owning app's decision voids it (e.g. a licence
    revoked by its issuing department); that app checked its own permission.

    ``actor`` is recorded as the revoker and in the audit entry; ``seals.document.sign`` is
    not asked for. A document revoked already raises ``SealError`` and is left unchanged."""
    reason = (reason or "").strip()[:200]
    if not reason:
        raise SealError(_("请填写撤销原因。"))
    now = timezone.now()
    revoker = actor if getattr(actor, "pk", None) else None
    updated = SignedDocument.objects.filter(pk=document.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=revoker, revoke_reason=reason)
    if not updated:
        raise SealError(_("该文件已撤销。"))
    document.refresh_from_db(fields=["revoked_at", "revoked_by", "revoke_reason"])
    record("seals.document.revoke", actor=revoker, obj=document, before={"revoked_at": None},
           after={"revoked_at": now.isoformat(), "reason": reason, "on_behalf": True})
    return document


# --- verification (a read: it serves the public verify page and API) ----------------


class VerifyStatus(models.TextChoices):
    GENUINE = "genuine", gettext_lazy("真实有效")
    TAMPERED = "tampered", gettext_lazy("文件与签章记录不符（可能被篡改）")
    REVOKED = "revoked", gettext_lazy("已撤销")
    UNKNOWN = "unknown", gettext_lazy("验证码不存在")


@dataclass(frozen=True)
class VerifyResult:
    status: VerifyStatus
    document: SignedDocument | None = None
    signature_valid: bool | None = None
    digest_match: bool | None = None  # None: no file was offered for comparison
    file_sm3: str | None = None

    @property
    def genuine(self) -> bool:
        return self.status == VerifyStatus.GENUINE


_CONFUSABLE = str.maketrans({"0": "O", "1": "I", "8": "B"})


def normalize_code(code: str) -> str:
    """Accept what people type: lower case, spaces, dashes, 0/1/8 for O/I/B."""
    return re.sub(r"[^A-Z0-9]", "", (code or "").upper()).translate(_CONFUSABLE)[:32]


def find_document(code: str) -> SignedDocument | None:
    code = normalize_code(code)
    if not code:
        return None
    return (SignedDocument.objects.select_related("seal__department", "signed_by")
            .filter(verify_code=code).first())


def _status(document: SignedDocument, signature_valid: bool, digest_match: bool | None) -> VerifyStatus:
    if document.revoked_at is not None:
        return VerifyStatus.REVOKED
    if not signature_valid or digest_match is False:
        return VerifyStatus.TAMPERED
    return VerifyStatus.GENUINE


def _signature_valid(document: SignedDocument) -> bool:
    try:
        public, digest, signature = (bytes.fromhex(document.seal.public_key), bytes.fromhex(document.sm3),
                                     bytes.fromhex(document.signature))
    except ValueError:  # a stored value that is not even hex was altered
        return False
    return get_signer().verify_digest(public, digest, signature)


def verify_document(code: str, file_bytes: bytes | None = None, *, file_sm3: str | None = None) -> VerifyResult:
    """Check a verify code's record (SM2 signature over the stored SM3) and, if given, a file's bytes."""
    from zhengtong.lib.gm import sm3_hex

    document = find_document(code)
    if document is None:
        return VerifyResult(VerifyStatus.UNKNOWN)
    signature_valid = _signature_valid(document)
    if file_bytes is not None:
        file_sm3 = sm3_hex(file_bytes)
    digest_match = None if file_sm3 is None else file_sm3 == document.sm3
    return VerifyResult(_status(document, signature_valid, digest_match), document, signature_valid,
                        digest_match, file_sm3)

