"""A transaction reads the chain's tail once and continues from what it wrote; a rolled-back
savepoint makes it read the tail again, so the chain never links to a vanished entry."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from zhengtong.core.audit.log import record, verify_chain
from zhengtong.core.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _tail_reads(ctx) -> int:
    return sum(1 for q in ctx.captured_queries if q["sql"].startswith("SELECT seq, hash FROM"))


def test_later_appends_in_a_transaction_do_not_read_the_tail_again():
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        first = record("test.a")
        with transaction.atomic():  # a released savepoint keeps what it wrote
            record("test.b")
        last = record("test.c")
    assert _tail_reads(ctx) <= 1
    assert last.seq == first.seq + 2
    assert verify_chain().ok


def test_a_rolled_back_savepoint_makes_the_next_append_read_the_tail():
    with transaction.atomic():
        kept = record("test.kept")
        try:
            with transaction.atomic():
                record("test.lost")
                raise RuntimeError("roll back the savepoint")
        except RuntimeError:
            pass
        with CaptureQueriesContext(connection) as ctx:
            after = record("test.after")
    assert _tail_reads(ctx) == 1
    assert after.seq == kept.seq + 1 and after.prev_hash == kept.hash
    assert not AuditEntry.objects.filter(action="test.lost").exists()
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_new_transaction_reads_the_tail():
    with transaction.atomic():
        record("test.one")
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        record("test.two")
    assert _tail_reads(ctx) == 1
    assert verify_chain().ok
