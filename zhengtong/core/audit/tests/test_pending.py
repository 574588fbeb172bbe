"""A transaction's entries are written just before it commits: linked to the tail in the
order they were recorded, in one statement, under the chain lock only from then on; a
rolled-back savepoint or transaction takes its entries with it."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from zhengtong.core.audit.log import record, verify_chain, write_pending
from zhengtong.core.audit.models import GENESIS_HASH, AuditEntry

pytestmark = pytest.mark.django_db


def _audit_sql(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries
            if "audit_auditentry" in q["sql"] or "pg_advisory" in q["sql"]]


@pytest.mark.django_db(transaction=True)
def test_a_transaction_writes_its_entries_in_one_statement_at_commit():
    with CaptureQueriesContext(connection) as ctx:
        with transaction.atomic():
            first = record("test.a")
            with transaction.atomic():  # a released savepoint keeps what it recorded
                record("test.b")
            last = record("test.c")
            assert _audit_sql(ctx) == []  # nothing read, locked or written before the commit
            assert first.seq is None
    inserts = [sql for sql in _audit_sql(ctx) if sql.startswith("INSERT")]
    assert len(inserts) == 1
    assert (first.seq, last.seq) == (1, 3) and first.prev_hash == GENESIS_HASH
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["test.a", "test.b", "test.c"]
    assert AuditEntry.objects.get(seq=3).pk == last.pk
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_or_transaction_writes_nothing():
    with transaction.atomic():
        record("test.kept")
        try:
            with transaction.atomic():
                record("test.lost")
                raise RuntimeError("roll back the savepoint")
        except RuntimeError:
            pass
        after = record("test.after")
    with pytest.raises(RuntimeError), transaction.atomic():
        record("test.also.lost")
        raise RuntimeError("roll back the transaction")
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["test.kept", "test.after"]
    assert after.seq == 2
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_an_entry_is_written_at_once():
    entry = record("test.alone")
    assert entry.seq == 1 and entry.pk is not None
    assert AuditEntry.objects.get().action == "test.alone"


@pytest.mark.django_db(transaction=True)
def test_a_failing_write_rolls_the_whole_transaction_back(monkeypatch):
    from zhengtong.core.audit import log
    from zhengtong.core.audit.context import current
    from zhengtong.core.org.models import Region

    def broken(entries, using=None):
        raise log.AuditEntry.DoesNotExist("disk full")  # any error from the write

    monkeypatch.setattr(log, "insert", broken)
    with pytest.raises(log.AuditEntry.DoesNotExist), transaction.atomic():
        Region.objects.create(code="369901", name="测试县", level="county")
        record("test.region.created")
    assert not Region.objects.filter(code="369901").exists()
    assert current.get() is not None


def test_reading_the_log_inside_a_transaction_sees_what_it_recorded():
    with transaction.atomic():
        record("test.one")
        assert AuditEntry.objects.filter(action="test.one").exists()
        second = record("test.two")
        write_pending()
        assert second.seq == 2
        assert write_pending() == 0  # nothing is written twice
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_entries_written_by_a_read_in_a_rolled_back_savepoint_are_written_again():
    with transaction.atomic():
        record("test.outer")
        try:
            with transaction.atomic():
                assert AuditEntry.objects.filter(action="test.outer").exists()  # writes it here
                raise RuntimeError("roll back the savepoint, and the row with it")
        except RuntimeError:
            pass
        record("test.later")
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["test.outer", "test.later"]
    assert verify_chain().ok
