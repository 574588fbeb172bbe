"""Chinese national cryptography (国密) primitives used across the platform.

SM3 comes from ``cryptography`` (OpenSSL; measured ~2x faster than gmalglib's SM3 here);
SM4-GCM from ``cryptography``; SM2 signatures live behind ``core.seals.signers``.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def sm3_bytes(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


class Sm3Stream:
    """Incremental SM3 for files read in chunks."""

    def __init__(self) -> None:
        self._h = hashes.Hash(hashes.SM3())

    def update(self, chunk: bytes) -> None:
        self._h.update(chunk)

    def hexdigest(self) -> str:
        return self._h.finalize().hex()


def sm3_hmac_hex(key: bytes, data: bytes) -> str:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def sm4_gcm_encrypt(key: bytes, plaintext: bytes, associated: bytes = b"") -> bytes:
    """SM4-GCM: returns nonce(12) || ciphertext || tag(16)."""
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(associated)
    body = encryptor.update(plaintext) + encryptor.finalize()
    return nonce + body + encryptor.tag


def sm4_gcm_decrypt(key: bytes, blob: bytes, associated: bytes = b"") -> bytes:
    nonce, body, tag = blob[:12], blob[12:-16], blob[-16:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(associated)
    return decryptor.update(body) + decryptor.finalize()
