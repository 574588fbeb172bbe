"""Seal private keys at rest: SM4-GCM under the 128-bit master key ``settings.ZT_MASTER_KEY``.

The associated data binds each ciphertext to its seal row, department and public key, so
a ciphertext copied onto another seal (or another department's seal) fails to decrypt.
The department's id is used rather than its code: codes may be edited by org maintenance,
which would otherwise make the seal unusable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from zhengtong.lib.gm import sm4_gcm_decrypt, sm4_gcm_encrypt

if TYPE_CHECKING:
    from zhengtong.core.seals.models import Seal


class SealKeyError(Exception):
    """The stored private key cannot be recovered (wrong master key or altered data)."""


def master_key() -> bytes:
    try:
        key = bytes.fromhex(settings.ZT_MASTER_KEY)
    except ValueError as exc:
        raise ImproperlyConfigured("ZT_MASTER_KEY must be 32 hex digits") from exc
    if len(key) != 16:
        raise ImproperlyConfigured("ZT_MASTER_KEY must be 32 hex digits (a 128-bit SM4 key)")
    return key


def associated_data(seal: Seal) -> bytes:
    return f"zhengtong.seal.v1|{seal.pk}|{seal.department_id}|{seal.public_key}".encode()


def seal_private_key(seal: Seal, private: bytes) -> str:
    """Encrypt ``private`` for storage on ``seal`` (which must already have its id)."""
    assert seal.pk is not None, "the seal id is part of the associated data"
    return sm4_gcm_encrypt(master_key(), private, associated_data(seal)).hex()


def open_private_key(seal: Seal) -> bytes:
    try:
        return sm4_gcm_decrypt(master_key(), bytes.fromhex(seal.private_key_encrypted), associated_data(seal))
    except (InvalidTag, ValueError) as exc:
        raise SealKeyError(_("印章“%(name)s”的私钥无法解密：主密钥不符或密钥数据被篡改。")
                           % {"name": seal.name}) from exc
