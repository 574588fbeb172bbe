"""Simulate a privileged user who lifts the append-only triggers to tamper with the log,
and let the test harness flush the database between transactional tests."""

from __future__ import annotations

import importlib
from contextlib import contextmanager

from django.db import connection

_m = importlib.import_module("zhengtong.core.audit.migrations.0002_append_only")


def _execute(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def drop_triggers() -> None:
    _execute({"sqlite": _m.SQLITE_REVERSE, "postgresql": _m.POSTGRES_REVERSE}[connection.vendor])


def create_triggers() -> None:
    drop_triggers()
    _execute({"sqlite": _m.SQLITE, "postgresql": _m.POSTGRES}[connection.vendor])


@contextmanager
def tamper():
    drop_triggers()
    try:
        yield
    finally:
        create_triggers()
