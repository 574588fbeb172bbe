"""New rows of the platform's most frequent writes in one multi-row ``INSERT … RETURNING``,
with the statement's parts built once per model and database vendor.

``bulk_create`` compiles the statement on every call and checks options the hot paths never
use; audit entries and messages are written several times in every action. Values are
prepared as ``Model.save`` prepares them (``pre_save`` — ``auto_now_add`` included — then
``get_db_prep_save``), and the new ids are set on the objects in the order the rows were
given, as ``bulk_create`` does on PostgreSQL and SQLite."""

from __future__ import annotations

from django.db import connections, router
from django.db.models import Model

BATCH = 500  # rows per statement: SQLite allows 32,766 parameters; the widest row here has 19

_PARTS: dict[tuple[type[Model], str], tuple[str, str, str, list]] = {}


def _parts(model: type[Model], conn) -> tuple[str, str, str, list]:
    key = (model, conn.vendor)
    if key not in _PARTS:
        meta = model._meta
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        quote = conn.ops.quote_name
        _PARTS[key] = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES ",
                       f"({', '.join(['%s'] * len(fields))})", f" RETURNING {quote(meta.pk.column)}", fields)
    return _PARTS[key]


def insert(objs: list[Model], *, using: str | None = None) -> list[Model]:
    """Insert ``objs`` (new rows of one model, database-generated ids) and set their ids."""
    if not objs:
        return objs
    model = type(objs[0])
    using = using or router.db_for_write(model)
    conn = connections[using]
    head, row, tail, fields = _parts(model, conn)
    for start in range(0, len(objs), BATCH):
        batch = objs[start:start + BATCH]
        params = [f.get_db_prep_save(f.pre_save(obj, True), conn) for obj in batch for f in fields]
        with conn.cursor() as cursor:
            cursor.execute(head + ", ".join([row] * len(batch)) + tail, params)
            ids = [r[0] for r in cursor.fetchall()]
        for obj, pk in zip(batch, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = using
    return objs
