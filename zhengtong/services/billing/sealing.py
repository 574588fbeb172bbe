"""Sealing licences with the issuing department's SM2 seal.

A licence is sealed because the case was granted, not because someone chose to sign it: the
authority is the grant decision (already permission-checked by the applications app). So:

* when the deciding official holds ``seals.document.sign`` for the department, the licence
  goes through the regular ``check_sign_document`` (signer = that official);
* otherwise (decision by the system, e.g. a bundle finishing, or a decider without the
  signing grant), it is signed on the system's behalf: stored through core.files and signed
  by the seals app's ``sign_as_system`` with no person as signer (audit actor None).

A department without an active seal gets one made on the system's behalf the first time a
licence needs it (``ensure_seal``), audited as ``seals.seal.create`` with actor None —
``do_create_seal`` requires ``seals.manage`` (system admins only), which a grant never has.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from zhengtong.core.audit.log import record
from zhengtong.core.db.compiled import CompiledQuery
from zhengtong.core.org.models import Department
from zhengtong.core.permissions.checks import has_perm
from zhengtong.core.seals import actions as seal_actions
from zhengtong.core.seals.keys import seal_private_key
from zhengtong.core.seals.models import Seal, SignedDocument
from zhengtong.core.seals.signers import get_signer


def _create_system_seal(department: Department) -> Seal:
    signer = get_signer()
    pair = signer.generate_keypair()
    seal = Seal(department=department, name=seal_actions.default_seal_name(department),
                algorithm=signer.algorithm, public_key=pair.public.hex(), created_by=None)
    seal.save(force_insert=True)
    seal.private_key_encrypted = seal_private_key(seal, pair.private)  # the id is in the AAD
    seal.save(update_fields=["private_key_encrypted"])
    record("seals.seal.create", actor=None, obj=seal,
           after={"department": department.code, "name": seal.name, "algorithm": seal.algorithm,
                  "public_key": seal.public_key, "replaces": None, "reason": "签发电子证照时自动制作"})
    return seal


_ACTIVE_SEAL = CompiledQuery(lambda department_id: Seal.objects.filter(department=department_id, active=True)
                             .order_by("pk")[:1])


def ensure_seal(department: Department) -> Seal:
    """The department's active seal, made now (system actor) if it has none."""
    seal = _ACTIVE_SEAL.first(department.pk)
    if seal is not None:
        seal.department = department  # the row the caller holds: no second read of it
        return seal
    if not department.is_active:
        raise seal_actions.SealError(f"部门“{department.name}”已停用，不能制作印章。")
    try:
        with transaction.atomic():
            return _create_system_seal(department)
    except IntegrityError:  # another transaction made it first (one active seal per department)
        return Seal.objects.get(department=department, active=True)


def seal_pdf(department: Department, pdf: bytes, file_name: str, title: str, *, actor) -> SignedDocument:
    """Store ``pdf`` and sign it with ``department``'s seal (see the module docstring for who signs)."""
    seal = ensure_seal(department)
    upload = SimpleUploadedFile(file_name, pdf, content_type="application/pdf")
    if actor is not None and has_perm(actor, "seals.document.sign", department=department):
        return seal_actions.check_sign_document(seal, upload, title, actor=actor)
    return seal_actions.sign_as_system(seal, upload, title, allowed_kinds=frozenset({"pdf"}))
