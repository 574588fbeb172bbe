"""Rows a transaction keeps until just before its commit, then writes in one statement per kind.

Audit entries (``core.audit.log``) and messages (``core.notify.actions``) are written several
times in every action. Each write is held by a hook object among the transaction's on-commit
hooks, only to share their fate: a rolled-back savepoint or transaction drops the hook, and
with it the rows it holds. Just before the commit (``core.db.backends.before_commit``), or
before a read of such rows inside the transaction (``WrittenBeforeReadManager``), the kind's
waiting hooks are written together and marked: a ``Written`` marker goes among the hooks, so
if a savepoint rolls that early write back, the marker goes with it and the hooks count as
waiting again.
"""

from __future__ import annotations

from django.db import connections, models, transaction
from django.utils.module_loading import import_string


class Waiting:
    """Rows of one kind held for the commit; ``written_by`` is the marker of their write."""

    __slots__ = ("written_by",)

    def __init__(self) -> None:
        self.written_by: Written | None = None

    def __call__(self) -> None:
        """Run after the commit (by then the rows are written); a kind may act here."""


class Written:
    """Among the hooks while the rows written before the commit are there."""

    __slots__ = ()

    def __call__(self) -> None:
        pass


AT_COMMIT = Written()  # rows written by the commit itself


def waiting(conn, kind: type[Waiting]) -> list:
    """The hooks of ``kind`` whose rows are not (or no longer) written."""
    hooks = [hook for _sids, hook, _robust in conn.run_on_commit]
    live = {hook for hook in hooks if isinstance(hook, Written)} | {AT_COMMIT}
    return [hook for hook in hooks if isinstance(hook, kind) and hook.written_by not in live]


def mark_written(conn, hooks: list) -> None:
    """After writing the hooks' rows: at the commit, or before a read inside the transaction."""
    written_by = AT_COMMIT
    if conn.in_atomic_block:  # a read before the commit: the rows live as long as this marker
        written_by = Written()
        transaction.on_commit(written_by, using=conn.alias)
    for hook in hooks:
        hook.written_by = written_by


class WrittenBeforeReadManager(models.Manager):
    """Inside a transaction, a read first writes the rows the transaction holds for its
    commit, so code and tests see what they wrote. ``writer``: the dotted path of the kind's
    ``write_pending(conn)``."""

    writer = ""

    def get_queryset(self) -> models.QuerySet:
        conn = connections[self.db]
        if conn.in_atomic_block and conn.run_on_commit:
            import_string(self.writer)(conn)
        return super().get_queryset()
