"""The signing interface: SM2 (GB/T 32918 / GM/T 0003) signatures over SM3 digests.

``settings.ZT_SIGNER_BACKEND`` names the class; the default ``SoftwareSigner`` uses
gmalglib (C). A deployment that must pass 密评 replaces it with an adapter for a
certified HSM (GM/T 0018 SDF) or signing server (GM/T 0029) implementing ``Signer``.

What is signed: the document's 32-byte SM3 digest ``H = SM3(file)`` is the SM2 *message*.
Signing follows GB/T 32918.2 with the user-ID Z value, as gmalglib's ``SM2.sign`` does:

    Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA),  ID = "1234567812345678"
    e = SM3(Z || H),  signature = r || s  (64 bytes, raw, big-endian)

so anyone holding the file and the seal's public key can check the signature with any
standard SM2 tool (``verify(pk, message=SM3(file), uid=1234567812345678)``). Note the
naming: our ``sign_digest`` takes the *document* digest ``H``; gmalglib's own
``sign_digest`` takes ``e`` (Z already mixed in), which an HSM's SDF_InternalSign_ECC
also expects — an HSM adapter computes ``e`` itself with ``z_value`` below.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

ALGORITHM = "SM2-with-SM3"
DEFAULT_UID = b"1234567812345678"  # GM/T 0009 default distinguishing identifier


@dataclass(frozen=True)
class KeyPair:
    private: bytes  # the key itself (software) or an opaque key reference (HSM)
    public: bytes  # uncompressed point 04 || x || y, 65 bytes


@runtime_checkable
class Signer(Protocol):
    algorithm: str

    def generate_keypair(self) -> KeyPair: ...

    def sign_digest(self, private: bytes, digest: bytes) -> bytes: ...

    def verify_digest(self, public: bytes, digest: bytes, signature: bytes) -> bool: ...


class SoftwareSigner:
    """SM2 in process memory via gmalglib (not a certified cryptographic module)."""

    algorithm = ALGORITHM

    def __init__(self, uid: bytes = DEFAULT_UID) -> None:
        self.uid = uid

    def generate_keypair(self) -> KeyPair:
        from gmalglib.sm2 import SM2

        private, public = SM2().generate_keypair()
        return KeyPair(private=private, public=public)

    def sign_digest(self, private: bytes, digest: bytes) -> bytes:
        from gmalglib.sm2 import SM2

        _check_digest(digest)
        return SM2(private, uid=self.uid).sign(digest)

    def verify_digest(self, public: bytes, digest: bytes, signature: bytes) -> bool:
        from gmalglib.sm2 import SM2

        if len(digest) != 32 or len(signature) != 64:
            return False
        try:
            return bool(SM2(pk=public, uid=self.uid).verify(digest, signature))
        except ValueError:  # malformed public key
            return False


def _check_digest(digest: bytes) -> None:
    if len(digest) != 32:
        raise ValueError("an SM3 digest is 32 bytes")


def z_value(public: bytes, uid: bytes = DEFAULT_UID) -> bytes:
    """GB/T 32918.2 Z value of a public key, for adapters whose device signs ``e`` directly."""
    from gmalglib.sm2 import SM2

    return SM2(pk=public, uid=uid).get_entity_info()


@lru_cache(maxsize=4)
def _load(path: str) -> Signer:
    signer = import_string(path)()
    if not isinstance(signer, Signer):
        raise TypeError(f"{path} does not implement zhengtong.core.seals.signers.Signer")
    return signer


def get_signer() -> Signer:
    return _load(settings.ZT_SIGNER_BACKEND)
