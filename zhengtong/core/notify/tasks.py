"""Background delivery. Tasks take ids, re-fetch, and are safe to run twice."""

from __future__ import annotations

from django_tasks import task

from zhengtong.core.notify import actions


@task()
def deliver_message(message_id: int) -> str:
    return actions.deliver(message_id)


@task()
def deliver_messages(message_ids: list[int]) -> dict[str, int]:
    """Deliver several messages of one send; each is claimed on its own, so a rerun skips the sent ones."""
    outcome: dict[str, int] = {}
    for message_id in message_ids:
        result = actions.deliver(message_id)
        outcome[result] = outcome.get(result, 0) + 1
    return outcome


@task()
def retry_failed() -> int:
    return actions.retry_failed()
