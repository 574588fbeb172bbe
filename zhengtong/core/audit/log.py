"""Write and verify the audit chain.

Every entry stores ``hash = SM3(prev_hash || canonical(entry))``. Appends serialise on
the chain's tail: PostgreSQL takes a transaction-scoped advisory lock, SQLite runs every
transaction as BEGIN IMMEDIATE (see settings), and ``seq`` is unique, so concurrent
writers produce one line with no forks and no gaps. Entries are written inside the
caller's transaction, so a rolled-back action leaves no entry behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from zhengtong.core.audit.context import current
from zhengtong.core.audit.models import GENESIS_HASH, AuditEntry
from zhengtong.lib.gm import sm3_hex

_PG_LOCK_KEY = 0x5A54_4155  # "ZTAU"

_TAIL_SQL = f"SELECT seq, hash FROM {AuditEntry._meta.db_table} ORDER BY seq DESC LIMIT 1"

CHAIN_FIELDS = ("seq", "at", "actor_id", "actor_name", "role", "ip", "action",
                "object_type", "object_id", "object_repr", "before", "after")


def _jsonable(value: Any) -> Any:
    """Round-trip through JSON so the stored value and the hashed value are identical."""
    if value is None:
        return None
    return json.loads(json.dumps(value, ensure_ascii=False, default=str, sort_keys=True))


def _at_text(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(values: dict[str, Any]) -> bytes:
    body = {name: values[name] for name in CHAIN_FIELDS}
    body["at"] = _at_text(body["at"])
    body["actor_id"] = None if body["actor_id"] is None else int(body["actor_id"])
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def chain_hash(prev_hash: str, values: dict[str, Any]) -> str:
    return sm3_hex(prev_hash.encode() + canonical(values))


def _lock_tail() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])


def _role_of(actor) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return "system"
    codes = getattr(actor, "_zt_role_codes", None)
    if codes is None:
        from zhengtong.core.permissions.checks import role_codes

        codes = role_codes(actor)
    return ",".join(codes) or getattr(actor, "kind", "")


def record(action: str, *, actor=None, obj=None, before: Any = None, after: Any = None,
           role: str | None = None, object_type: str = "", object_id: str = "",
           object_repr: str = "") -> AuditEntry:
    """Append one entry to the chain, inside the current transaction."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    actor_obj = actor if getattr(actor, "pk", None) else None
    values: dict[str, Any] = {
        "at": timezone.now(),
        "actor_id": actor_obj.pk if actor_obj else None,
        "actor_name": (getattr(actor_obj, "display_name", "") or getattr(actor_obj, "username", ""))[:150]
        if actor_obj else "",
        "role": (role if role is not None else _role_of(actor_obj))[:200],
        "ip": current.get().ip,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id)[:64],
        "object_repr": object_repr[:200],
        "before": _jsonable(before),
        "after": _jsonable(after),
    }
    # No savepoint: the entry lives and dies with the caller's transaction.
    with transaction.atomic(savepoint=False):
        seq, prev = _tail()
        values["seq"] = seq
        entry = AuditEntry(prev_hash=prev, hash=chain_hash(prev, values), **values)
        _insert(entry)
        _remember_tail(entry)
    return entry


def _tail() -> tuple[int, str]:
    """The next ``seq`` and the hash to link to.

    The first append of a transaction takes the chain lock and reads the tail; the lock is
    held to the end of the transaction (advisory xact lock; SQLite's write lock), so the
    transaction's later appends continue from the tail it wrote itself. What was written is
    remembered with a marker in the transaction's on-commit hooks: Django drops those hooks
    when the transaction ends either way and when the savepoint they were added in rolls
    back (which may take entries, and on PostgreSQL the lock, with it) — so a remembered
    tail is used only while its marker is still pending."""
    remembered = getattr(connection, "_zt_audit_tail", None)
    if remembered is not None and not connection.needs_rollback:
        index, marker, seq, prev = remembered
        hooks = connection.run_on_commit
        if index < len(hooks) and hooks[index][1] is marker:
            return seq + 1, prev
    connection._zt_audit_tail = None
    _lock_tail()
    with connection.cursor() as cursor:  # hot path: skip the ORM's query compilation
        cursor.execute(_TAIL_SQL)
        tail = cursor.fetchone()
    return (tail[0] + 1, tail[1]) if tail else (1, GENESIS_HASH)


def _tail_marker() -> None:
    """Runs (and does nothing) on commit; its presence among the hooks is what counts."""


def forget_tail() -> None:
    """Re-read the tail at the next append: call after rows of the chain were deleted or
    edited outside ``record`` (the demo wipe; tamper simulations in tests)."""
    connection._zt_audit_tail = None


def _remember_tail(entry: AuditEntry) -> None:
    # A marker belongs to the savepoints open when it was added; an append inside another
    # savepoint adds its own, so rolling that savepoint back drops the marker with the entry.
    remembered = getattr(connection, "_zt_audit_tail", None)
    hooks = connection.run_on_commit
    if remembered is not None and hooks[remembered[0]][0] == set(connection.savepoint_ids):
        index, marker = remembered[0], remembered[1]
    else:
        index, marker = len(hooks), partial(_tail_marker)
        transaction.on_commit(marker)
    connection._zt_audit_tail = (index, marker, entry.seq, entry.hash)


_INSERT_SQL: dict[str, tuple[str, list]] = {}


def _insert(entry: AuditEntry) -> None:
    """INSERT … RETURNING id with the statement built once per backend (the ORM would compile
    it on every append; this is the platform's most frequent write)."""
    vendor = connection.vendor
    if vendor not in _INSERT_SQL:
        meta = AuditEntry._meta
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        quote = connection.ops.quote_name
        _INSERT_SQL[vendor] = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(meta.pk.column)}", fields)
    sql, fields = _INSERT_SQL[vendor]
    params = [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        entry.pk = cursor.fetchone()[0]
    entry._state.adding = False
    entry._state.db = connection.alias


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
