"""One action calling another inside its own transaction, without a savepoint.

An action is ``transaction.atomic``; called from another action, its atomic block becomes a
savepoint — two more round trips (``SAVEPOINT``, ``RELEASE``) that matter only to a caller
that catches the inner action's error and carries on. Callers that let the error propagate
(the caller's own atomic block then undoes everything, or rolls back to *its* savepoint)
call the inner action with ``joined``::

    @joinable
    def issue_bill(target, *, actor): ...

    joined(issue_bill, app, actor=actor)  # inside do_accept's transaction

A caller that catches the inner action's error and goes on using the database calls the
action directly, so the savepoint is there to roll back to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction


def joinable(func: Callable) -> Callable:
    """``transaction.atomic`` for an action other actions call through ``joined``."""
    atomic = transaction.atomic(func)
    atomic.body = func
    return atomic


def joined(action: Callable, /, *args: Any, **kwargs: Any) -> Any:
    """Run ``action`` as a part of the caller's open transaction (see the module docstring).

    Outside a transaction, or for a function not marked ``joinable`` (a stand-in in a test),
    this is a plain call."""
    body = getattr(action, "body", None)
    if body is None or not transaction.get_connection().in_atomic_block:
        return action(*args, **kwargs)
    return body(*args, **kwargs)
