"""The approval engine's public face for other apps.

``start_process(application, *, actor)`` — on acceptance; ``cancel_process(application, *, actor)``
— on withdrawal. When the process's decision task is completed the engine calls
``zhengtong.services.applications.actions.do_decide(application, granted=, reason=, actor=)``.
"""

from __future__ import annotations

from zhengtong.services.workflow.actions import (
    WorkflowError,
    cancel_process,
    claim_task,
    complete_task,
    refresh_timers,
    start_process,
)

__all__ = ["WorkflowError", "cancel_process", "claim_task", "complete_task", "refresh_timers", "start_process"]
