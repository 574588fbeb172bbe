from __future__ import annotations

import pytest

from zhengtong.core.seals.signers import Signer, SoftwareSigner, get_signer, z_value
from zhengtong.core.seals.tests import sm2_reference
from zhengtong.lib.gm import sm3_bytes

DIGEST = sm3_bytes(b"%PDF-1.4 sample")


@pytest.fixture(scope="module")
def pair():
    return SoftwareSigner().generate_keypair()


def test_the_configured_backend_is_the_software_signer():
    signer = get_signer()
    assert isinstance(signer, SoftwareSigner) and isinstance(signer, Signer)


def test_it_signs_and_verifies_a_digest(pair):
    signer = SoftwareSigner()
    signature = signer.sign_digest(pair.private, DIGEST)
    assert len(pair.private) == 32 and len(pair.public) == 65 and len(signature) == 64
    assert signer.verify_digest(pair.public, DIGEST, signature)
    assert not signer.verify_digest(pair.public, sm3_bytes(b"other"), signature)
    assert not signer.verify_digest(pair.public, DIGEST, signature[:-1] + bytes([signature[-1] ^ 1]))


def test_malformed_inputs_verify_as_false_not_as_errors(pair):
    signer = SoftwareSigner()
    signature = signer.sign_digest(pair.private, DIGEST)
    assert not signer.verify_digest(b"\x04" + b"\x00" * 64, DIGEST, signature)
    assert not signer.verify_digest(pair.public, DIGEST, signature[:10])
    assert not signer.verify_digest(pair.public, DIGEST[:31], signature)
    with pytest.raises(ValueError):
        signer.sign_digest(pair.private, b"short")


def test_a_gmalglib_signature_verifies_in_an_independent_implementation(pair):
    signature = SoftwareSigner().sign_digest(pair.private, DIGEST)
    assert sm2_reference.z_value(pair.public) == z_value(pair.public)
    assert sm2_reference.verify(pair.public, DIGEST, signature)
    assert not sm2_reference.verify(pair.public, sm3_bytes(b"other"), signature)


def test_a_gmalglib_signature_verifies_in_gmssl_when_installed(pair):
    gmssl_sm2 = pytest.importorskip("gmssl.sm2")
    verifier = gmssl_sm2.CryptSM2(private_key="", public_key=pair.public[1:].hex())
    verdicts = []
    for _ in range(5):  # each signature has its own random k
        signature = SoftwareSigner().sign_digest(pair.private, DIGEST)
        try:
            verdicts.append(verifier.verify_with_sm3(signature.hex(), DIGEST))
        except TypeError:  # gmssl's point addition gives up on a coordinate that prints short
            continue
    assert verdicts and all(verdicts)
