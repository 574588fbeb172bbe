"""Hot reads compiled to SQL once per process.

Django compiles a queryset to SQL every time it runs it: joins, columns, quoting, converters.
For the workflow step's locked read of a process with its application, item, department and
applicant that is ≈ 1.5 ms of Python — more than PostgreSQL needs to run the (prepared)
statement. A read on the hot path whose shape never changes, only its values, is declared
once as a ``CompiledQuery``: the first run compiles it (per database alias) and the later
ones run the same SQL with new values, turning rows into model instances exactly as the ORM
does (``select_related`` objects included).

A read may also end in ``values_list(...)`` (not flat, not named): rows come back as tuples,
converted as the ORM converts them — for reads that need a few columns, not instances.

The values must be plain ``int`` or ``str`` (ids, codes). At the first run the queryset is
built twice — with the real values and with probes — and the values' places in the
statement's parameters are found by the probes; if the probes cannot be found, or the real
values do not give the same statement, the query is refused with ``NotCompilable`` (a
programming error, caught by the first test that runs it) instead of ever running wrong SQL.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.transaction import TransactionManagementError


class NotCompilable(TypeError):
    """The queryset cannot be compiled once and rerun with other values."""


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[tuple[int, int], ...]  # (parameter index, argument index)
    model: type[Model] | None  # None: rows are values_list tuples
    init_list: list[str]
    start: int
    end: int
    populators: list
    query: Any
    expressions: list  # the selected columns, for their converters
    for_update: bool
    converters: weakref.WeakKeyDictionary  # per connection object, built at its first run there


def _converters(compiled: _Compiled, conn) -> dict:
    """The ORM's converters for the selected columns, bound to ``conn`` (a threaded server
    has one connection object per thread; converters read its settings and time zone)."""
    found = compiled.converters.get(conn)
    if found is None:
        compiler = conn.ops.compiler("SQLCompiler")(compiled.query, conn, conn.alias)
        found = compiled.converters[conn] = compiler.get_converters(compiled.expressions)
    return found


def _convert(rows: list, converters: dict, conn) -> list:
    converters = list(converters.items())
    out = []
    for row in rows:
        row = list(row)
        for pos, (functions, expression) in converters:
            value = row[pos]
            for function in functions:
                value = function(value, expression, conn)
            row[pos] = value
        out.append(row)
    return out


def _probe(index: int, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise NotCompilable(f"compiled queries take int or str values, not {type(value).__name__}")
    # values no real row uses; strings keep a letter so no lookup mistakes them for numbers
    return -7_392_001 - index if isinstance(value, int) else f"zt-probe-{index}-"


def _sql(qs: QuerySet, alias: str) -> tuple[str, tuple, Any]:
    if qs._prefetch_related_lookups or qs._iterable_class not in (ModelIterable, ValuesListIterable):
        raise NotCompilable("compiled queries return model instances or values_list tuples, "
                            "without prefetch_related")
    compiler = qs.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    return sql, tuple(params), compiler


class CompiledQuery:
    """``build(*values) -> QuerySet`` compiled once per database alias; see the module text."""

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self.build = build
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, alias: str, args: tuple) -> _Compiled:
        probes = tuple(_probe(i, v) for i, v in enumerate(args))
        sql, params, compiler = _sql(self.build(*probes).using(alias), alias)
        slots = []
        for arg_index, probe in enumerate(probes):
            found = [i for i, p in enumerate(params) if p == probe and type(p) is type(probe)]
            if len(found) != 1:
                raise NotCompilable(f"value {arg_index} appears {len(found)} times in the statement's parameters")
            slots.append((found[0], arg_index))
        real_sql, real_params, _compiler = _sql(self.build(*args).using(alias), alias)
        compiled_params = _fill(params, slots, args)
        if real_sql != sql or real_params != compiled_params:
            raise NotCompilable("the statement changes with the values, not only its parameters")
        klass_info, select, query = compiler.klass_info, compiler.select, compiler.query
        values = query.values_select or query.selected is not None
        if query.annotation_select or query.extra_select or (compiler.annotation_col_map and not values):
            raise NotCompilable("compiled queries do not carry annotations")
        common = {"sql": sql, "params": params, "slots": tuple(slots), "query": query,
                  "expressions": [s[0] for s in select[:compiler.col_count]],
                  "for_update": query.select_for_update, "converters": weakref.WeakKeyDictionary()}
        if values:  # values_list: the columns in the order named
            return _Compiled(model=None, init_list=[], start=0, end=compiler.col_count, populators=[], **common)
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return _Compiled(model=klass_info["model"], init_list=[f[0].target.attname for f in select[start:end]],
                         start=start, end=end, populators=get_related_populators(klass_info, select, alias),
                         **common)

    def all(self, *args: Any, using: str = DEFAULT_DB_ALIAS) -> list:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using, args)
        conn = connections[using]
        if (compiled.for_update and conn.features.has_select_for_update and conn.get_autocommit()
                and conn.features.supports_transactions):  # as the ORM refuses it
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        for arg in args:
            _probe(0, arg)  # the same type rules as at compile time
        with conn.cursor() as cursor:
            cursor.execute(compiled.sql, _fill(compiled.params, compiled.slots, args))
            rows = cursor.fetchall()
        converters = _converters(compiled, conn)
        if converters:
            rows = _convert(rows, converters, conn)
        if compiled.model is None:
            return [tuple(row) for row in rows]
        objects = []
        for row in rows:
            obj = compiled.model.from_db(using, compiled.init_list, row[compiled.start:compiled.end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects

    def first(self, *args: Any, using: str = DEFAULT_DB_ALIAS) -> Model | None:
        """The first row or None; the built queryset carries its own order (and ``[:1]``)."""
        objects = self.all(*args, using=using)
        return objects[0] if objects else None

    def get(self, *args: Any, using: str = DEFAULT_DB_ALIAS) -> Model:
        """The one row, like ``QuerySet.get`` (``DoesNotExist`` / ``MultipleObjectsReturned``)."""
        objects = self.all(*args, using=using)
        if len(objects) == 1:
            return objects[0]
        model = self._compiled[using].model
        if model is None:
            raise ValueError(f"get() expects one row, the read gave {len(objects)}")
        if not objects:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        raise model.MultipleObjectsReturned(f"get() returned more than one {model._meta.object_name}")


def _fill(params: tuple, slots: tuple[tuple[int, int], ...] | list, args: tuple) -> tuple:
    filled = list(params)
    for param_index, arg_index in slots:
        filled[param_index] = args[arg_index]
    return tuple(filled)
