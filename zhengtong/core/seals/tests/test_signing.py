from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.files.actions import UploadRefused
from zhengtong.core.files.models import Attachment
from zhengtong.core.files.tests import samples
from zhengtong.core.seals.actions import (
    SealError,
    VerifyStatus,
    check_sign_document,
    do_create_seal,
    do_revoke_document,
    normalize_code,
    verify_document,
)
from zhengtong.core.seals.models import SignedDocument
from zhengtong.core.seals.tests import sm2_reference
from zhengtong.core.seals.tests.conftest import pdf_upload
from zhengtong.lib.gm import sm3_hex


def test_signing_stores_the_file_and_signs_its_sm3(signed, approver, market_seal):
    assert signed.sm3 == sm3_hex(samples.PDF) == signed.attachment.sm3
    assert signed.seal == market_seal and signed.signed_by == approver
    assert len(signed.verify_code) == 16 and signed.verify_code.isalnum()
    assert (signed.attachment.object_type, signed.attachment.object_id) == ("seals.signeddocument", str(signed.pk))
    entry = AuditEntry.objects.get(action="seals.document.sign")
    assert entry.object_id == str(signed.pk) and entry.after["signature"] == signed.signature
    # Anyone with the file and the public key can check it with a standard SM2 tool.
    assert sm2_reference.verify(bytes.fromhex(market_seal.public_key), bytes.fromhex(signed.sm3),
                                bytes.fromhex(signed.signature))


def test_a_signed_document_verifies_with_and_without_the_file(signed):
    result = verify_document(signed.verify_code)
    assert result.status == VerifyStatus.GENUINE and result.signature_valid and result.digest_match is None
    result = verify_document(signed.verify_code.lower(), samples.PDF)
    assert result.status == VerifyStatus.GENUINE and result.digest_match is True


def test_a_tampered_file_is_detected(signed):
    result = verify_document(signed.verify_code, samples.PDF.replace(b"Catalog", b"Catalof"))
    assert result.status == VerifyStatus.TAMPERED
    assert result.digest_match is False and result.signature_valid is True


def test_a_tampered_record_is_detected(signed):
    SignedDocument.objects.filter(pk=signed.pk).update(sm3=sm3_hex(b"forged"))
    result = verify_document(signed.verify_code, b"forged")
    assert result.status == VerifyStatus.TAMPERED and result.signature_valid is False


def test_a_revoked_document_says_so(signed, approver):
    do_revoke_document(signed, actor=approver, reason="许可已注销")
    result = verify_document(signed.verify_code, samples.PDF)
    assert result.status == VerifyStatus.REVOKED and result.document.revoke_reason == "许可已注销"
    assert AuditEntry.objects.filter(action="seals.document.revoke", object_id=str(signed.pk)).exists()
    with pytest.raises(SealError):
        do_revoke_document(signed, actor=approver, reason="again")


def test_an_unknown_code_is_unknown(db):
    assert verify_document("AAAABBBBCCCCDDDD").status == VerifyStatus.UNKNOWN
    assert verify_document("").status == VerifyStatus.UNKNOWN


def test_codes_are_read_as_people_type_them():
    assert normalize_code(" abcd-ef01 8xyz ") == "ABCDEFOIBXYZ"


def test_documents_of_a_retired_seal_still_verify(signed, city, sysadmin):
    do_create_seal(city.dept("market"), actor=sysadmin)
    assert verify_document(signed.verify_code, samples.PDF).status == VerifyStatus.GENUINE


def test_a_retired_seal_signs_no_more(market_seal, city, sysadmin, approver):
    do_create_seal(city.dept("market"), actor=sysadmin)
    market_seal.refresh_from_db()
    with pytest.raises(SealError):
        check_sign_document(market_seal, pdf_upload(), "决定书", actor=approver)


def test_a_clerk_without_the_sign_permission_is_refused(market_seal, clerk):
    with pytest.raises(PermissionDenied):
        check_sign_document(market_seal.department, pdf_upload(), "决定书", actor=clerk)
    assert not SignedDocument.objects.exists() and not Attachment.objects.exists()


def test_a_signer_cannot_use_another_departments_seal(city, sysadmin, approver):
    seal = do_create_seal(city.dept("approval"), actor=sysadmin)
    with pytest.raises(PermissionDenied):
        check_sign_document(seal, pdf_upload(), "决定书", actor=approver)
    with pytest.raises(PermissionDenied):
        check_sign_document(city.dept("approval"), pdf_upload(), "决定书", actor=approver)


def test_revoking_needs_the_sign_permission_in_scope(signed, clerk):
    with pytest.raises(PermissionDenied):
        do_revoke_document(signed, actor=clerk, reason="x")


def test_a_department_without_a_seal_cannot_sign(city, approver):
    with pytest.raises(SealError, match="尚未制作电子印章"):
        check_sign_document(city.dept("market"), pdf_upload(), "决定书", actor=approver)


def test_a_disguised_executable_is_not_signed(market_seal, approver, media):
    with pytest.raises(UploadRefused):
        check_sign_document(market_seal.department, pdf_upload(samples.EXE), "决定书", actor=approver)
    assert not SignedDocument.objects.exists() and not [p for p in media.rglob("*") if p.is_file()]


def test_a_failed_signature_leaves_no_orphan_file(market_seal, approver, media, settings):
    settings.ZT_MASTER_KEY = "ffeeddccbbaa99887766554433221100"
    with pytest.raises(Exception):  # noqa: B017
        check_sign_document(market_seal.department, pdf_upload(), "决定书", actor=approver)
    assert not Attachment.objects.exists() and not [p for p in media.rglob("*") if p.is_file()]


def test_signing_locks_the_seal_row_alone(market_seal, approver):
    # a lock on the department's row as well would deadlock with any transaction that, holding
    # the audit chain at its commit, checks a foreign key to that department
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if not connection.features.has_select_for_update:
        pytest.skip("row locks are PostgreSQL's")
    with CaptureQueriesContext(connection) as queries:
        check_sign_document(market_seal, pdf_upload(), "许可证", actor=approver)
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"] or "FOR NO KEY" in q["sql"]]
    assert locks and all("org_department" not in sql for sql in locks)
