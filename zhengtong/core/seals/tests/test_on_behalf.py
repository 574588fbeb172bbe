"""Signing and revoking on an owning app's decision (no seals permission asked for)."""

from __future__ import annotations

import pytest

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.files.actions import UploadRefused
from zhengtong.core.files.models import Attachment
from zhengtong.core.files.tests import samples
from zhengtong.core.seals.actions import (
    SealError,
    VerifyStatus,
    revoke_as_system,
    sign_as_system,
    verify_document,
)
from zhengtong.core.seals.models import SignedDocument
from zhengtong.core.seals.tests.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def test_the_system_signs_with_no_person_as_signer(market_seal):
    document = sign_as_system(market_seal, pdf_upload(), "电子营业执照")
    assert document.signed_by is None and document.seal == market_seal
    assert verify_document(document.verify_code, samples.PDF).status == VerifyStatus.GENUINE
    assert (document.attachment.object_type, document.attachment.object_id) == ("seals.signeddocument",
                                                                              str(document.pk))
    assert AuditEntry.objects.get(action="seals.document.sign").actor_id is None


def test_system_signing_refuses_what_it_must(market_seal, media):
    with pytest.raises(UploadRefused):
        sign_as_system(market_seal, pdf_upload(samples.EXE), "证照")
    with pytest.raises(SealError, match="文件标题"):
        sign_as_system(market_seal, pdf_upload(), "  ")
    market_seal.active, market_seal.retired_at = False, market_seal.created_at
    market_seal.save(update_fields=["active", "retired_at"])
    with pytest.raises(SealError, match="已停用"):
        sign_as_system(market_seal, pdf_upload(), "证照")
    assert not SignedDocument.objects.exists() and not Attachment.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_revoking_on_a_decision_records_who_decided(client, signed, clerk):
    revoked = revoke_as_system(signed, reason="证照注销：以欺骗手段取得", actor=clerk)
    assert revoked.revoked_by == clerk and revoked.revoke_reason == "证照注销：以欺骗手段取得"
    assert verify_document(signed.verify_code).status == VerifyStatus.REVOKED
    entry = AuditEntry.objects.get(action="seals.document.revoke")
    assert entry.actor_id == clerk.pk and entry.after["on_behalf"] is True
    page = client.get(f"/verify/{signed.verify_code}/").content.decode()
    assert "该文件已被撤销" in page and "以欺骗手段取得" in page
    with pytest.raises(SealError, match="已撤销"):
        revoke_as_system(signed, reason="again", actor=clerk)
    with pytest.raises(SealError, match="撤销原因"):
        revoke_as_system(signed, reason=" ")
    assert AuditEntry.objects.filter(action="seals.document.revoke").count() == 1
