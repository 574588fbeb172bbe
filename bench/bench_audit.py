"""Audit chain: append rate (entries/s) and verify-audit time for N entries.

Baselines in the same run: a bare INSERT of the same row without the chain (tail read,
lock, SM3), and a walk of the rows without hashing. Usage:
    python bench/bench_audit.py [--append 5000] [--verify 1000000]
"""

from __future__ import annotations

import argparse

import _django

_django.setup("audit")

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from zhengtong.core.audit.log import CHAIN_FIELDS, _rows, chain_hash, record, verify_chain  # noqa: E402
from zhengtong.core.audit.models import GENESIS_HASH, AuditEntry  # noqa: E402

PAYLOAD = {"status": ["submitted", "accepted"], "note": "窗口受理，材料齐全"}


def _wipe() -> None:
    from zhengtong.testing.audit import create_triggers, drop_triggers

    drop_triggers()
    AuditEntry.objects.all().delete()
    create_triggers()


def _append_chained(n: int, per_tx: int) -> float:
    _wipe()
    with _django.Timer() as chained:
        for start in range(0, n, per_tx):
            with transaction.atomic():
                for i in range(start, min(n, start + per_tx)):
                    record("services.application.accepted", object_type="services.application",
                           object_id=str(i), object_repr=f"SF2026{i:08d}", after=PAYLOAD, role="clerk")
    return chained.seconds


def bench_append(n: int) -> None:
    batched = _append_chained(n, 10)
    chained = _append_chained(n, 1)
    _django.report("audit-append-10-per-tx", db=_django.vendor(), n=n, chained_per_s=n / batched)
    _wipe()
    now = timezone.now()
    with _django.Timer() as bare:
        for i in range(n):
            with transaction.atomic():
                AuditEntry.objects.create(seq=i + 1, at=now, action="services.application.accepted",
                                          object_type="services.application", object_id=str(i),
                                          object_repr=f"SF2026{i:08d}", after=PAYLOAD, role="clerk",
                                          prev_hash=GENESIS_HASH, hash=GENESIS_HASH)
    _django.report("audit-append", db=_django.vendor(), n=n, chained_per_s=n / chained,
                   bare_insert_per_s=n / bare.seconds, chain_cost_ratio=chained / bare.seconds)


def _fill(n: int, batch: int = 20_000) -> None:
    """Write n correctly chained entries fast (bulk inserts; same hashing as record())."""
    _wipe()
    prev, at = GENESIS_HASH, timezone.now()
    rows: list[AuditEntry] = []
    for seq in range(1, n + 1):
        values = {"seq": seq, "at": at, "actor_id": None, "actor_name": "", "role": "clerk", "ip": "10.0.0.8",
                  "action": "services.application.accepted", "object_type": "services.application",
                  "object_id": str(seq), "object_repr": f"SF2026{seq:08d}", "before": None, "after": PAYLOAD}
        digest = chain_hash(prev, values)
        rows.append(AuditEntry(prev_hash=prev, hash=digest, **values))
        prev = digest
        if len(rows) == batch:
            AuditEntry.objects.bulk_create(rows)
            rows = []
    if rows:
        AuditEntry.objects.bulk_create(rows)


def bench_verify(n: int) -> None:
    with _django.Timer() as fill:
        _fill(n)
    with _django.Timer() as walk:
        count = sum(1 for _ in _rows(10_000))
    with _django.Timer() as verify:
        report = verify_chain()
    assert report.ok and report.checked == n == count, report
    _django.report("audit-verify", db=_django.vendor(), n=n, verify_s=verify.seconds, walk_only_s=walk.seconds,
                   hash_cost_ratio=verify.seconds / walk.seconds, fill_s=fill.seconds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--append", type=int, default=5000)
    parser.add_argument("--verify", type=int, default=1_000_000)
    args = parser.parse_args()
    assert CHAIN_FIELDS and connection
    try:
        bench_append(args.append)
        bench_verify(args.verify)
    finally:
        _wipe()  # leave a shared PostgreSQL database as it was
