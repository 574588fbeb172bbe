"""New rows of the platform's most frequent writes in one multi-row ``INSERT … RETURNING``,
with the statement's parts built once per model and database vendor.

``bulk_create`` compiles the statement on every call and checks options the hot paths never
use; audit entries and messages are written several times in every action. Values are
prepared as ``Model.save`` prepares them (``pre_save`` — ``auto_now_add`` included — then
``get_db_prep_save``), and the new ids are set on the objects in the order the rows were
given, as ``bulk_create`` does on PostgreSQL and SQLite.

On PostgreSQL the rows travel as one JSON document (``INSERT … SELECT … FROM
json_to_recordset(%s)``): one statement text for any number of rows, so it is prepared and
planned once, and one parameter, written by the C JSON encoder — where ``bulk_create``'s
per-column arrays (``UNNEST``) are built by psycopg's Python array dumper value by value,
after every value went through ``get_db_prep_save`` and its adapter. Here a value is prepared
(``get_prep_value``) only when it is not already what its column stores (a ``str`` for text,
an ``int`` for a number or a key, an aware ``datetime``…); the database converts the JSON
values to the column types as it converts parameters. A model with a column the document
cannot carry exactly (binary data, arrays, a JSON field with its own encoder), and rows with a
float that is not a number, go as parameters of a multi-row ``VALUES``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connections, router
from django.db.models import Model

BATCH = 500  # rows per statement: SQLite allows 32,766 parameters; the widest row here has 19


_NONE = type(None)
# What a column takes as it is, by the field's internal type (a key: its target's); a value of
# another type is prepared by its field first. A JSON field's value is the document's own.
_READY: dict[str, frozenset[type]] = {
    **dict.fromkeys(("CharField", "TextField", "SlugField", "EmailField"), frozenset({str, _NONE})),
    **dict.fromkeys(("AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
                     "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField",
                     "PositiveSmallIntegerField"), frozenset({int, _NONE})),
    "BooleanField": frozenset({bool, _NONE}),
    "DateField": frozenset({date, _NONE}),
    "DateTimeField": frozenset({_NONE}),  # and an aware datetime (_Column.moment)
    "FloatField": frozenset({float, int, _NONE}),
    **dict.fromkeys(("DecimalField", "UUIDField", "FileField"), frozenset()),
}
# NaN is not JSON (``allow_nan=False`` raises): such a row goes in the parameter form instead.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)


@dataclass(frozen=True)
class _Column:
    field: Any
    name: str
    ready: frozenset[type] | None  # None: a JSON document, written as it is
    computed: bool  # pre_save computes the value (auto_now, auto_now_add, a file to store)
    moment: bool  # a timestamp column: an aware datetime is written as it is


@dataclass(frozen=True)
class _Document:
    sql: str
    columns: tuple[_Column, ...]


def _document(fields: list, conn, into: str, tail: str) -> _Document | None:
    columns = []
    for f in fields:
        kind = (f.target_field if f.is_relation else f).get_internal_type()
        if kind == "JSONField" and f.encoder is None and not f.is_relation:
            ready = None
        elif kind in _READY and not hasattr(f, "get_placeholder"):
            ready = _READY[kind]
        else:
            return None
        computed = bool(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) or kind == "FileField")
        columns.append(_Column(f, f.column, ready, computed, kind == "DateTimeField"))
    quote = conn.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    record = ", ".join(f"{quote(f.column)} {f.db_type(conn)}" for f in fields)
    return _Document(f"{into}SELECT {names} FROM json_to_recordset(%s::json) AS r({record}){tail}", tuple(columns))


def _cell(column: _Column, obj: Model) -> Any:
    field = column.field
    value = field.pre_save(obj, True) if column.computed else getattr(obj, field.attname)
    ready = column.ready
    if ready is None or type(value) in ready or (
            column.moment and type(value) is datetime and value.tzinfo is not None):
        return value
    return field.get_prep_value(value)


@dataclass(frozen=True)
class _Parts:
    head: str  # INSERT INTO t (columns) VALUES
    row: str  # (%s, %s, …)
    tail: str  # RETURNING id
    fields: list
    document: _Document | None  # PostgreSQL: the whole statement for any number of rows


_PARTS: dict[tuple[type[Model], str], _Parts] = {}


def _parts(model: type[Model], conn) -> _Parts:
    key = (model, conn.vendor)
    if key not in _PARTS:
        meta = model._meta
        fields = [f for f in meta.concrete_fields if f is not meta.auto_field]  # a given key is written
        quote = conn.ops.quote_name
        into = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        tail = f" RETURNING {quote(meta.pk.column)}"
        # PostgreSQL: one statement text for any number of rows, so psycopg converts it once
        # and PostgreSQL prepares and plans it once — a multi-row VALUES is a new statement
        # for every row count, and psycopg does not keep conversions of more than 50 values.
        document = _document(fields, conn, into, tail) if conn.vendor == "postgresql" else None
        _PARTS[key] = _Parts(into + "VALUES ", f"({', '.join(['%s'] * len(fields))})", tail, fields, document)
    return _PARTS[key]


def insert(objs: list[Model], *, using: str | None = None) -> list[Model]:
    """Insert ``objs`` (new rows of one model) and set their ids: generated by the database
    for an auto-increment key, else the key the objects carry (e.g. a one-to-one key).
    Values are values (no expressions computed by the database)."""
    if not objs:
        return objs
    model = type(objs[0])
    using = using or router.db_for_write(model)
    conn = connections[using]
    parts = _parts(model, conn)
    for start in range(0, len(objs), BATCH):
        batch = objs[start:start + BATCH]
        text = _as_document(parts.document, batch) if parts.document else None
        if text is not None:
            sql, params = parts.document.sql, [text]
        else:
            sql, params = _as_parameters(parts, batch, conn)
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            ids = [r[0] for r in cursor.fetchall()]
        for obj, pk in zip(batch, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = using
    return objs


def _as_document(document: _Document, batch: list[Model]) -> str | None:
    """The rows as one JSON array of objects keyed by column; None when a value has no JSON
    form (a float that is not a number)."""
    columns = document.columns
    try:
        return _ENCODER.encode([{c.name: _cell(c, obj) for c in columns} for obj in batch])
    except ValueError:
        return None


def _as_parameters(parts: _Parts, batch: list[Model], conn) -> tuple[str, list]:
    params = [f.get_db_prep_save(f.pre_save(obj, True), conn) for obj in batch for f in parts.fields]
    return parts.head + ", ".join([parts.row] * len(batch)) + parts.tail, params
