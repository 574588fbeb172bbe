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


@pytest.mark.django_db
def test_on_postgresql_rows_go_as_arrays_in_one_statement_text_for_any_count(applicant, clerk):
    if connection.vendor != "postgresql":
        pytest.skip("the array form is PostgreSQL's")
    from django.utils import timezone

    from zhengtong.core.audit.models import AuditEntry

    def entries(first: int, count: int) -> list[AuditEntry]:
        return [AuditEntry(seq=first + i, at=timezone.now(), actor_id=clerk.pk if i % 2 else None,
                           actor_name="窗口" if i % 2 else "", action="test.insert", object_id=str(i),
                           before=None if i % 2 else {"状态": "旧", "n": [1, 2]}, after={"i": i},
                           prev_hash="p" * 64, hash=f"{i:064d}") for i in range(count)]

    with CaptureQueriesContext(connection) as queries:
        two, five = inserts.insert(entries(10_001, 2)), inserts.insert(entries(20_001, 5))
    assert len(queries.captured_queries) == 2 and all("UNNEST" in q["sql"] for q in queries.captured_queries)
    stored = {e.pk: e for e in AuditEntry.objects.filter(action="test.insert")}
    assert len(stored) == 7
    for entry in two + five:  # each id belongs to its own row, every type kept
        row = stored[entry.pk]
        assert (row.seq, row.actor_id, row.before, row.after, row.at) == (
            entry.seq, entry.actor_id, entry.before, entry.after, entry.at)
