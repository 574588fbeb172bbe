"""Work run inside a transaction just before its commit (``core.db.backends.before_commit``)."""

from __future__ import annotations

import pytest
from django.db import transaction

from zhengtong.core.audit import log
from zhengtong.core.db import backends


@pytest.mark.django_db(transaction=True)
def test_work_runs_before_the_commit_in_order_with_last_after_the_others(monkeypatch):
    monkeypatch.setattr(backends, "BEFORE_COMMIT", list(backends.BEFORE_COMMIT))
    monkeypatch.setattr(backends, "_LAST", list(backends._LAST))
    calls = []
    first_last = backends.before_commit(last=True)(lambda conn: calls.append(("last", conn.get_autocommit())))
    backends.before_commit(lambda conn: calls.append(("plain", conn.get_autocommit())))
    assert backends.BEFORE_COMMIT[-1] is first_last
    with transaction.atomic():
        pass
    assert calls == [("plain", False), ("last", False)]  # both inside the transaction, before its commit


def test_the_audit_chain_is_written_after_every_other_held_row():
    # its lock is held from its write to the commit: nothing else is written under it
    assert backends.BEFORE_COMMIT[-1] is log.write_pending
