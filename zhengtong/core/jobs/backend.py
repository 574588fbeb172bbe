"""The task queue's backend: ``django_tasks_db``'s, with a task's row written by
``core.db.inserts``.

The library writes each enqueued task with ``DBTaskResult.objects.create``, and the ORM
compiles that INSERT on every call (≈ 0.6 ms of Python) — once in every transaction that
sends an e-mail or SMS (``core.notify`` queues their delivery with the messages). The row,
its values, the model's save signals (the library sets "run at once" in one) and everything
else the backend does are the library's own."""

from __future__ import annotations

from django.db import router
from django.db.models.signals import post_save, pre_save
from django_tasks_db import DatabaseBackend as LibraryBackend
from django_tasks_db.compat import normalize_json

from zhengtong.core.db.inserts import insert


class DatabaseBackend(LibraryBackend):
    def _task_to_db_task(self, task, args, kwargs):
        from django_tasks_db.models import DBTaskResult

        row = DBTaskResult(id=self._get_id(), args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
                           priority=task.priority, task_path=task.module_path, queue_name=task.queue_name,
                           run_after=task.run_after, backend_name=self.alias)
        using = router.db_for_write(DBTaskResult, instance=row)
        pre_save.send(sender=DBTaskResult, instance=row, raw=False, using=using, update_fields=None)
        insert([row], using=using)
        post_save.send(sender=DBTaskResult, instance=row, created=True, update_fields=None, raw=False, using=using)
        return row
