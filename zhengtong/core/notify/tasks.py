"""Background delivery. Tasks take ids, re-fetch, and are safe to run twice."""

from __future__ import annotations

from django_tasks import task

from zhengtong.core.notify import actions


@task()
def deliver_message(message_id: int) -> str:
    return actions.deliver(message_id)


@task()
def retry_failed() -> int:
    return actions.retry_failed()
