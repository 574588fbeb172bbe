"""The task backend writes a task's row as the library's own backend writes it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhengtong.core.notify.tasks import deliver_message

LIBRARY = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
OURS = {"default": {"BACKEND": "zhengtong.core.jobs.backend.DatabaseBackend"}}
COLUMNS = ("status", "args_kwargs", "priority", "task_path", "worker_ids", "queue_name", "backend_name",
           "run_after", "return_value", "exception_class_path", "traceback", "started_at", "finished_at")


@pytest.mark.django_db
@pytest.mark.parametrize("later", [False, True])
def test_an_enqueued_task_is_the_row_the_library_writes(settings, later):
    from django_tasks_db.models import DBTaskResult

    run_after = timezone.now() + timedelta(hours=1)
    rows = []
    for backends in (LIBRARY, OURS):
        settings.TASKS = backends
        task = deliver_message.using(run_after=run_after) if later else deliver_message
        with CaptureQueriesContext(connection) as queries:
            result = task.enqueue(42)
        rows.append(DBTaskResult.objects.filter(pk=result.id).values(*COLUMNS).get())
        assert result.args == [42] and len(queries.captured_queries) == 1
    assert rows[0] == rows[1]
    assert DBTaskResult.objects.ready().count() == (0 if later else 2)  # "at once" is the library's own mark
