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
