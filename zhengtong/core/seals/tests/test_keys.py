from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from gmalglib.sm2 import SM2

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.seals.actions import SealError, check_sign_document, do_create_seal
from zhengtong.core.seals.keys import SealKeyError, open_private_key
from zhengtong.core.seals.models import Seal
from zhengtong.core.seals.tests.conftest import pdf_upload


def _raw_rows() -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Seal._meta.db_table}")
        return repr(cursor.fetchall())


def test_the_private_key_is_stored_encrypted(market_seal):
    private = open_private_key(market_seal)
    assert SM2.is_keypair(private, bytes.fromhex(market_seal.public_key))
    raw = _raw_rows()
    assert private.hex() not in raw.lower() and private.hex().upper() not in raw
    assert len(bytes.fromhex(market_seal.private_key_encrypted)) == 12 + 32 + 16  # nonce, key, tag


def test_a_wrong_master_key_cannot_decrypt_or_sign(market_seal, approver, settings):
    settings.ZT_MASTER_KEY = "ffeeddccbbaa99887766554433221100"
    with pytest.raises(SealKeyError, match="主密钥不符"):
        open_private_key(Seal.objects.get(pk=market_seal.pk))
    with pytest.raises(SealKeyError):
        check_sign_document(market_seal.department, pdf_upload(), "决定书", actor=approver)


def test_a_key_copied_to_another_seal_does_not_decrypt(city, sysadmin, market_seal):
    other = do_create_seal(city.dept("approval"), actor=sysadmin)
    other.private_key_encrypted = market_seal.private_key_encrypted
    with pytest.raises(SealKeyError):
        open_private_key(other)


def test_creating_a_seal_again_rotates_the_key(city, sysadmin, market_seal):
    new = do_create_seal(city.dept("market"), actor=sysadmin, name="示范市市场监督管理局行政审批专用章")
    market_seal.refresh_from_db()
    assert not market_seal.active and market_seal.retired_at is not None
    assert new.active and new.public_key != market_seal.public_key
    assert list(Seal.objects.filter(department=city.dept("market"), active=True)) == [new]
    actions = list(AuditEntry.objects.filter(action__startswith="seals.").order_by("seq")
                   .values_list("action", flat=True))
    assert actions == ["seals.seal.create", "seals.seal.retire", "seals.seal.create"]
    assert AuditEntry.objects.filter(action="seals.seal.create").last().after["replaces"] == market_seal.pk


def test_the_default_seal_name_names_the_department(market_seal):
    assert market_seal.name == "市市场监督管理局行政审批专用章"


def test_only_a_seal_manager_creates_seals(city, clerk, approver):
    for user in (clerk, approver):
        with pytest.raises(PermissionDenied):
            do_create_seal(city.dept("market"), actor=user)
    assert not Seal.objects.exists()


def test_an_inactive_department_gets_no_seal(city, sysadmin):
    department = city.dept("office")
    department.is_active = False
    department.save()
    with pytest.raises(SealError):
        do_create_seal(department, actor=sysadmin)
