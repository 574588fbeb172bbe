"""SM2 sign/verify per second and SM3 MB/s for each SM library installed here.

The signed message is a 32-byte SM3 digest with the GB/T 32918.2 Z value (user ID
1234567812345678), exactly what ``core.seals.signers.SoftwareSigner`` does. Every
library's signature is cross-checked against gmalglib's. Libraries that are not
installed are skipped; the pure-Python ones (gmssl, gmalg) are bench-only, see
requirements.txt. Usage:
    python bench/bench_sm2.py [--quick] [--seconds 1.0]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zhengtong.lib.gm import sm3_bytes  # noqa: E402

DIGEST = sm3_bytes(b"%PDF-1.7 bench document")


def rate(fn: Callable[[], object], seconds: float, min_runs: int = 3) -> float:
    """Calls per second of ``fn``, run for about ``seconds``."""
    runs, start = 0, time.perf_counter()
    while runs < min_runs or time.perf_counter() - start < seconds:
        fn()
        runs += 1
    return runs / (time.perf_counter() - start)


def mb_per_s(hash_fn: Callable[[bytes], object], size: int, seconds: float) -> float:
    data = os.urandom(size)
    return rate(lambda: hash_fn(data), seconds, min_runs=1) * size / 1e6


def report(lib: str, **figures: float | str) -> None:
    parts = " ".join(f"{k}={v:,.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items())
    print(f"[bench_sm2] {lib:<14} {parts}", flush=True)


def bench_gmalglib(seconds: float) -> tuple[bytes, bytes]:
    from gmalglib.sm2 import SM2
    from gmalglib.sm3 import SM3

    sk, pk = SM2().generate_keypair()
    signer, verifier = SM2(sk), SM2(pk=pk)
    signature = signer.sign(DIGEST)
    assert verifier.verify(DIGEST, signature)
    report("gmalglib", sign_per_s=rate(lambda: signer.sign(DIGEST), seconds),
           verify_per_s=rate(lambda: verifier.verify(DIGEST, signature), seconds),
           sm3_mb_s=mb_per_s(lambda d: SM3(d).digest(), 16 << 20, seconds))
    return pk, signature


def bench_cryptography(seconds: float) -> None:
    report("cryptography", sm2="none (no SM2 in OpenSSL bindings)",
           sm3_mb_s=mb_per_s(sm3_bytes, 16 << 20, seconds))


def bench_gmssl(seconds: float, pk: bytes, reference: bytes) -> None:
    from gmalglib.sm2 import SM2
    from gmssl import sm2, sm3

    sk, own_pk = SM2().generate_keypair()
    crypt = sm2.CryptSM2(private_key=sk.hex(), public_key=own_pk[1:].hex())
    signature = crypt.sign_with_sm3(DIGEST)
    assert crypt.verify_with_sm3(signature, DIGEST)
    cross = sm2.CryptSM2(private_key="", public_key=pk[1:].hex()).verify_with_sm3(reference.hex(), DIGEST)
    report("gmssl (py)", sign_per_s=rate(lambda: crypt.sign_with_sm3(DIGEST), seconds),
           verify_per_s=rate(lambda: crypt.verify_with_sm3(signature, DIGEST), seconds),
           sm3_mb_s=mb_per_s(lambda d: sm3.sm3_hash(list(d)), 256 << 10, seconds),
           verifies_gmalglib=str(bool(cross)))


def bench_gmalg(seconds: float, pk: bytes, reference: bytes) -> None:
    import gmalg

    sk, own_pk = gmalg.SM2().generate_keypair()
    signer, verifier = gmalg.SM2(sk, b"1234567812345678", own_pk), gmalg.SM2(pk=own_pk, uid=b"1234567812345678")
    r, s = signer.sign(DIGEST)
    assert verifier.verify(DIGEST, r, s)
    cross = gmalg.SM2(pk=pk, uid=b"1234567812345678").verify(DIGEST, reference[:32], reference[32:])

    def sm3(data: bytes) -> bytes:
        h = gmalg.SM3()
        h.update(data)
        return h.value()

    report("gmalg (py)", sign_per_s=rate(lambda: signer.sign(DIGEST), seconds),
           verify_per_s=rate(lambda: verifier.verify(DIGEST, r, s), seconds),
           sm3_mb_s=mb_per_s(sm3, 256 << 10, seconds), verifies_gmalglib=str(bool(cross)))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a smoke run (0.2 s per figure)")
    parser.add_argument("--seconds", type=float, default=1.0)
    args = parser.parse_args()
    seconds = 0.2 if args.quick else args.seconds
    print(f"[bench_sm2] python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cpus, "
          f"single thread, {seconds:g} s per figure", flush=True)
    pk, reference = bench_gmalglib(seconds)
    bench_cryptography(seconds)
    for name, bench in (("gmssl", bench_gmssl), ("gmalg", bench_gmalg)):
        try:
            __import__(name)
        except ImportError:
            report(name, skipped="not installed (pip install -r requirements.txt installs the bench-only libraries)")
            continue
        bench(seconds, pk, reference)
    return 0


if __name__ == "__main__":
    sys.exit(main())
