"""Write and verify the audit chain.

Every entry stores ``hash = SM3(prev_hash || canonical(entry))``. ``record`` keeps an entry
with the caller's transaction (among its on-commit hooks, so Django drops it with a
rolled-back savepoint or transaction); just before the transaction commits, its entries
are linked to the chain's tail and written in one statement (``write_pending``, run by the
platform's database backends, ``core.db.backends``). Appends serialise on the tail:
PostgreSQL takes a transaction-scoped advisory lock at that point, SQLite's writers are
serialised by its write lock, and ``seq`` is unique — so concurrent writers produce one
line with no forks and no gaps, and the lock is held from the write to the commit, not
for the whole of the caller's transaction. The chain's order is the order in which
transactions commit. A rolled-back action leaves no entry behind.

Reading ``AuditEntry`` inside a transaction writes that transaction's pending entries
first (``AuditManager``), so code and tests see what they recorded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from zhengtong.core.audit.context import current
from zhengtong.core.audit.models import GENESIS_HASH, AuditEntry
from zhengtong.core.db.backends import before_commit
from zhengtong.core.db.inserts import insert
from zhengtong.core.db.pending import Waiting, mark_written, waiting
from zhengtong.lib.gm import sm3_hex

_PG_LOCK_KEY = 0x5A54_4155  # "ZTAU"

_TAIL_SQL = f"SELECT seq, hash FROM {AuditEntry._meta.db_table} ORDER BY seq DESC LIMIT 1"
# PostgreSQL: the lock and the tail read after it, in one round trip (migration 0003)
_PG_TAIL_SQL = f"SELECT seq, hash FROM audit_chain_tail({_PG_LOCK_KEY})"

CHAIN_FIELDS = ("seq", "at", "actor_id", "actor_name", "role", "ip", "action",
                "object_type", "object_id", "object_repr", "before", "after")
_COLUMNS = ("id", *CHAIN_FIELDS, "prev_hash", "hash")  # the model's fields, in order (checked below)
if tuple(f.attname for f in AuditEntry._meta.concrete_fields) != _COLUMNS:
    raise ImportError("AuditEntry's fields changed: update core.audit.log._COLUMNS and record()")


# Built once: ``json.dumps`` with options makes a new encoder on every call.
_STORED = json.JSONEncoder(ensure_ascii=False, default=str, sort_keys=True)
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _jsonable(value: Any) -> Any:
    """Round-trip through JSON so the stored value and the hashed value are identical."""
    if value is None:
        return None
    return json.loads(_STORED.encode(value))


def _at_text(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(values: dict[str, Any]) -> bytes:
    body = {name: values[name] for name in CHAIN_FIELDS}
    body["at"] = _at_text(body["at"])
    body["actor_id"] = None if body["actor_id"] is None else int(body["actor_id"])
    return _CANONICAL.encode(body).encode()


def chain_hash(prev_hash: str, values: dict[str, Any]) -> str:
    return sm3_hex(prev_hash.encode() + canonical(values))


def _locked_tail(conn) -> tuple[int, str] | None:
    """The chain's last ``(seq, hash)``, read once this transaction holds the chain (PostgreSQL:
    its advisory lock; SQLite: the write lock the caller's transaction takes at its first write)."""
    with conn.cursor() as cursor:  # hot path: skip the ORM's query compilation
        cursor.execute(_PG_TAIL_SQL if conn.vendor == "postgresql" else _TAIL_SQL)
        return cursor.fetchone()


def _role_of(actor) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return "system"
    codes = getattr(actor, "_zt_role_codes", None)
    if codes is None:
        from zhengtong.core.permissions.checks import role_codes

        codes = role_codes(actor)
    return ",".join(codes) or getattr(actor, "kind", "")


class _Pending(Waiting):
    """An entry waiting for its transaction's commit (``core.db.pending``)."""

    __slots__ = ("entry",)

    def __init__(self, entry: AuditEntry) -> None:
        super().__init__()
        self.entry = entry


def record(action: str, *, actor=None, obj=None, before: Any = None, after: Any = None,
           role: str | None = None, object_type: str = "", object_id: str = "",
           object_repr: str = "") -> AuditEntry:
    """Add one entry to the chain with the current transaction; it is written when the
    transaction commits (``seq``, ``hash`` and ``pk`` are set then)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    actor_obj = actor if getattr(actor, "pk", None) else None
    # positional, in _COLUMNS order: a third of what keyword construction costs, and an
    # action records several entries
    entry = AuditEntry(
        None, None, timezone.now(),
        actor_obj.pk if actor_obj else None,
        (getattr(actor_obj, "display_name", "") or getattr(actor_obj, "username", ""))[:150] if actor_obj else "",
        (role if role is not None else _role_of(actor_obj))[:200],
        current.get().ip, action, object_type, str(object_id)[:64], object_repr[:200],
        _jsonable(before), _jsonable(after), "", "",
    )
    # Outside a transaction this opens one, so the entry is written at its commit.
    with transaction.atomic(savepoint=False):
        transaction.on_commit(_Pending(entry))
    return entry


@before_commit(last=True)
def write_pending(conn=None) -> int:
    """Link the transaction's pending entries to the tail and write them; returns how many.

    Run by the database backends just before each commit, and by ``AuditManager`` before a
    read inside a transaction. A transaction already doomed to roll back writes nothing."""
    conn = conn or connection
    if not conn.run_on_commit or conn.needs_rollback:
        return 0
    pending = waiting(conn, _Pending)
    if not pending:
        return 0
    tail = _locked_tail(conn)
    seq, prev = (tail[0] + 1, tail[1]) if tail else (1, GENESIS_HASH)
    entries = []
    for hook in pending:
        entry = hook.entry
        entry.seq, entry.prev_hash = seq, prev
        entry.hash = prev = chain_hash(prev, {name: getattr(entry, name) for name in CHAIN_FIELDS})
        entries.append(entry)
        seq += 1
    insert(entries, using=conn.alias)  # one multi-row INSERT (core.db.inserts)
    mark_written(conn, pending)
    return len(entries)


def record_read(action: str, *, actor, obj, fields: Iterable[str], reason: str = "") -> AuditEntry:
    """Audit a read of personal data (which fields of whom were shown unmasked)."""
    return record(action, actor=actor, obj=obj, after={"fields": sorted(fields), "reason": reason})


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    entry_id: int | None
    kind: str  # "gap" | "link" | "hash" | "order"
    message: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _rows(batch: int) -> Iterator[tuple]:
    columns = ("id", "prev_hash", "hash", *CHAIN_FIELDS)
    qs = AuditEntry.objects.order_by("seq").values_list(*columns)
    yield from qs.iterator(chunk_size=batch)


def verify_chain(batch: int = 10_000) -> ChainReport:
    """Walk the chain in order; return the first entry that was edited, deleted, inserted or moved."""
    expected_seq, prev = 1, GENESIS_HASH
    checked = 0
    for row in _rows(batch):
        entry_id, prev_hash, stored_hash, *rest = row
        values = dict(zip(CHAIN_FIELDS, rest, strict=True))
        seq = values["seq"]
        if seq != expected_seq:
            kind = "gap" if seq > expected_seq else "order"
            return ChainReport(checked, ChainProblem(
                seq, entry_id, kind,
                f"审计链在 #{expected_seq} 处断开：其后出现的是 #{seq}（条目被删除或插入）"))
        if prev_hash != prev:
            return ChainReport(checked, ChainProblem(
                seq, entry_id, "link",
                f"审计条目 #{seq} 的前序哈希与 #{seq - 1} 不符（条目被插入、删除或调换顺序）"))
        if chain_hash(prev_hash, values) != stored_hash:
            return ChainReport(checked, ChainProblem(
                seq, entry_id, "hash", f"审计条目 #{seq} 的内容与其哈希不符（条目被篡改）"))
        prev, expected_seq = stored_hash, seq + 1
        checked += 1
    return ChainReport(checked, None)
