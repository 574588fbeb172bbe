from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengtong.core.db import inserts
from zhengtong.core.notify.models import Message


@pytest.mark.django_db
def test_rows_are_written_in_one_statement_with_their_ids_and_defaults(applicant, monkeypatch):
    messages = [Message(recipient_id=applicant.pk, channel="inbox", subject=f"第{i}条", body="正文", status="sent")
                for i in range(5)]
    with CaptureQueriesContext(connection) as queries:
        assert inserts.insert(messages) is messages
    assert len(queries.captured_queries) == 1
    stored = {m.pk: m for m in Message.objects.filter(pk__in=[m.pk for m in messages])}
    assert [stored[m.pk].subject for m in messages] == [f"第{i}条" for i in range(5)]  # ids match their rows
    assert all(m.created_at is not None and not m._state.adding for m in messages)  # auto_now_add as save() does
    assert stored[messages[0].pk].created_at == messages[0].created_at


@pytest.mark.django_db
def test_many_rows_go_in_batches_and_nothing_is_a_no_op(applicant, monkeypatch):
    monkeypatch.setattr(inserts, "BATCH", 3)
    messages = [Message(recipient_id=applicant.pk, channel="inbox", subject=str(i), body="b") for i in range(7)]
    with CaptureQueriesContext(connection) as queries:
        inserts.insert(messages)
        assert inserts.insert([]) == []
    assert len(queries.captured_queries) == 3
    assert list(Message.objects.filter(pk__in=[m.pk for m in messages]).order_by("pk").values_list(
        "subject", flat=True)) == [str(i) for i in range(7)]


@pytest.mark.django_db
def test_a_model_whose_key_is_given_writes_that_key(city):
    from datetime import date

    from zhengtong.core.timelimits.actions import open_case
    from zhengtong.core.timelimits.registry import register_case_type
    from zhengtong.supervision.models import CaseOutcome

    register_case_type("test.inserts", "测试写入", default_limit_days=5)
    case = open_case(case_type="test.inserts", object_type="test.thing", object_id="1", title="事项",
                     department=city.dept("market"), started_on=date(2025, 3, 3), today=date(2025, 3, 3))
    [outcome] = inserts.insert([CaseOutcome(case_id=case.pk, case_type="test.inserts", department_id=case.department_id,
                                            finished_on=date(2025, 3, 5), month=date(2025, 3, 1), late=False,
                                            statutory_late=False, working_days_used=2, limit_days=5)])
    assert outcome.pk == case.pk and CaseOutcome.objects.get(case=case).working_days_used == 2


def _entries(first: int, count: int, actor) -> list:
    from django.utils import timezone

    from zhengtong.core.audit.models import AuditEntry

    return [AuditEntry(seq=first + i, at=timezone.now(), actor_id=actor.pk if i % 2 else None,
                       actor_name="窗口" if i % 2 else "", action="test.insert", object_id=str(i),
                       before=None if i % 2 else {"状态": "旧", "n": [1, 2], "引号": '"\\\n'}, after={"i": i},
                       prev_hash="p" * 64, hash=f"{i:064d}") for i in range(count)]


@pytest.mark.django_db
def test_on_postgresql_rows_go_as_one_json_document_in_one_statement_text_for_any_count(clerk):
    if connection.vendor != "postgresql":
        pytest.skip("the JSON document form is PostgreSQL's")
    from zhengtong.core.audit.models import AuditEntry

    with CaptureQueriesContext(connection) as queries:
        one, two, five = (inserts.insert(_entries(first, count, clerk))
                          for first, count in ((5_001, 1), (10_001, 2), (20_001, 5)))
    statements = {q["sql"].split(" FROM json_to_recordset")[0] for q in queries.captured_queries}
    assert len(queries.captured_queries) == 3 and len(statements) == 1
    assert "json_to_recordset" in queries.captured_queries[0]["sql"]
    stored = {e.pk: e for e in AuditEntry.objects.filter(action="test.insert")}
    assert len(stored) == 8
    for entry in one + two + five:  # each id belongs to its own row, every type kept
        row = stored[entry.pk]
        assert (row.seq, row.actor_id, row.before, row.after, row.at) == (
            entry.seq, entry.actor_id, entry.before, entry.after, entry.at)


@pytest.mark.django_db
def test_a_row_reads_back_as_the_same_row_written_by_save(clerk, applicant):
    """Values that need preparing (a number for text, a naive time, a JSON null against SQL
    NULL, a file) are stored exactly as ``save()`` stores them."""
    import warnings
    from datetime import datetime

    from django.core.files.base import ContentFile

    from zhengtong.core.audit.models import AuditEntry
    from zhengtong.core.files.models import Attachment

    def entry(seq: int, **values) -> AuditEntry:
        return AuditEntry(seq=seq, **{"at": datetime(2026, 3, 2, 9, 30), "actor_id": clerk.pk, "ip": "",
                                      "action": "test.same", "object_id": 42, "before": None,
                                      "after": {"列表": [1, 2.5, None, True], "文": "“引号”"},
                                      "prev_hash": "p" * 64, "hash": "h" * 64, **values})

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the naive time, as save() warns too
        [inserted] = inserts.insert([entry(30_001)])
        saved = entry(30_002)
        saved.save()
    columns = [f.attname for f in AuditEntry._meta.concrete_fields if f.attname not in ("id", "seq")]
    [a, b] = AuditEntry.objects.filter(pk__in=[inserted.pk, saved.pk]).order_by("seq").values(*columns)
    assert a == b and a["object_id"] == "42" and a["before"] is None

    files = [Attachment(file=ContentFile(b"%PDF-1.4", name="a.pdf"), original_name="a.pdf", kind="pdf",
                        content_type="application/pdf", size=8, sm3="0" * 64, uploaded_by=applicant)]
    inserts.insert(files)
    assert Attachment.objects.get(pk=files[0].pk).file.read() == b"%PDF-1.4"
