from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from zhengtong.core.audit.log import record, verify_chain, write_pending
from zhengtong.core.audit.models import GENESIS_HASH, AuditEntry
from zhengtong.testing.audit import tamper


@pytest.fixture
def ten(db):
    entries = [record("test.thing.changed", object_type="test.thing", object_id=str(i), after={"n": i, "名": "值"})
               for i in range(10)]
    write_pending()  # as a commit would
    return entries


def test_entries_form_one_chain(ten):
    assert ten[0].prev_hash == GENESIS_HASH
    for previous, entry in zip(ten, ten[1:], strict=False):
        assert entry.prev_hash == previous.hash and entry.seq == previous.seq + 1
    assert verify_chain().ok
    call_command("verify_audit")


def test_the_database_refuses_updates_and_deletes(ten):
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(seq=3).update(action="x")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(seq=3).delete()


def test_an_edited_row_is_named(ten):
    with tamper():
        AuditEntry.objects.filter(seq=4).update(after={"n": 999})
    report = verify_chain()
    assert report.problem.seq == 4 and report.problem.kind == "hash"
    with pytest.raises(CommandError, match="#4"):
        call_command("verify_audit")


def test_a_deleted_row_is_named(ten):
    with tamper():
        AuditEntry.objects.filter(seq=6).delete()
    report = verify_chain()
    assert report.problem.kind == "gap" and "#6" in report.problem.message


def test_an_inserted_row_is_named(ten):
    last = AuditEntry.objects.get(seq=10)
    with tamper():
        AuditEntry.objects.create(seq=11, at=last.at, action="forged", prev_hash="f" * 64, hash="e" * 64)
    report = verify_chain()
    assert report.problem.seq == 11 and report.problem.kind == "link"


def test_reordered_rows_are_named(ten):
    with tamper():
        AuditEntry.objects.filter(seq=7).update(seq=-7)
        AuditEntry.objects.filter(seq=8).update(seq=7)
        AuditEntry.objects.filter(seq=-7).update(seq=8)
    report = verify_chain()
    assert report.problem.seq == 7 and report.problem.kind == "link"


def test_rolled_back_actions_leave_no_entry(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        record("test.rolled.back")
        raise RuntimeError
    assert not AuditEntry.objects.exists()


def test_seq_is_unique_so_the_chain_cannot_fork(ten):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.create(seq=5, at=ten[0].at, action="fork", prev_hash=ten[3].hash, hash="a" * 64)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_make_one_line():
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                with transaction.atomic():
                    record("test.concurrent", object_id=f"{n}-{i}")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert AuditEntry.objects.count() == 60
    assert list(AuditEntry.objects.values_list("seq", flat=True)) == list(range(1, 61))
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_broken_reference_still_fails_the_commit_and_leaves_no_entry():
    # PostgreSQL checks the transaction's deferred foreign keys before it takes the chain's
    # lock, SQLite at the commit: either way the transaction fails as a whole
    from zhengtong.core.notify.models import Message

    with pytest.raises(IntegrityError), transaction.atomic():
        record("test.broken", object_id="1")
        Message.objects.create(recipient_id=10**9, channel="inbox", subject="s", body="b")
    assert not AuditEntry.objects.exists() and not Message.objects.exists()
    record("test.after", object_id="2")  # the chain is usable afterwards
    assert list(AuditEntry.objects.values_list("seq", "action")) == [(1, "test.after")]
