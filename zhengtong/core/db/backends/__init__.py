"""Database backends: Django's PostgreSQL and SQLite backends with one addition, work run
inside a transaction just before it commits (``before_commit``).

Django runs hooks only after a commit (``on_commit``). The audit chain needs the moment
before: a transaction's entries are linked to the chain's tail and written in one statement
then, so the chain lock is held from that write to the commit instead of from the
transaction's first entry (see ``core.audit.log``)."""

from __future__ import annotations

from collections.abc import Callable

BEFORE_COMMIT: list[Callable] = []
_LAST: list[Callable] = []  # ``before_commit(last=True)``: after every other


def before_commit(func: Callable | None = None, *, last: bool = False) -> Callable:
    """Register ``func(connection)`` to run inside every transaction just before its commit.

    It runs after the last statement of the transaction's body; an exception it raises
    rolls the whole transaction back (``atomic`` catches it from ``commit()``). ``last``:
    after the others — for work that takes a lock held until the commit (the audit chain),
    so the others' writes are not made under it."""
    if func is None:
        return lambda f: before_commit(f, last=last)
    if func not in BEFORE_COMMIT:
        if last:
            _LAST.append(func)
        BEFORE_COMMIT.append(func)
        BEFORE_COMMIT.sort(key=lambda f: f in _LAST)  # stable: registration order otherwise
    return func


class BeforeCommitMixin:
    def _commit(self):
        if self.connection is not None:
            try:
                for func in BEFORE_COMMIT:
                    func(self)
            except BaseException:
                # ``atomic`` rolls back only on a DatabaseError from commit(); for anything
                # else it would switch autocommit back on, which commits (SQLite) or fails
                # (PostgreSQL). Roll back here, so nothing of the transaction is kept.
                self.rollback()
                raise
        return super()._commit()
