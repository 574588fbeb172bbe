"""One pass of the scheduler: enqueue every job whose current slot has no run yet.

The ``JobRun`` row and the task are written in one transaction; the unique (name, slot)
constraint makes a second scheduler's insert fail, so it skips the run instead of
enqueuing it again. (With the database task backend the task row is in the same
transaction too, so a crash leaves neither.)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

from zhengtong.core.jobs import schedule
from zhengtong.core.jobs.models import JobRun, RunStatus
from zhengtong.core.jobs.schedule import Job

logger = logging.getLogger("zhengtong.jobs.scheduler")


class MissingTarget(Exception):
    """The job's dotted path does not name a task or a function."""


def resolve(path: str) -> tuple[Task, tuple[str, ...]]:
    """The task to enqueue for ``path`` and its arguments."""
    try:
        target = import_string(path)
    except ImportError as exc:
        raise MissingTarget(f"{path}: {exc}") from exc
    if isinstance(target, Task):
        return target, ()
    if callable(target):
        from zhengtong.core.jobs.tasks import run_callable

        return run_callable, (path,)
    raise MissingTarget(f"{path} is neither a task nor a function")


def _claim_and_enqueue(job: Job, slot: datetime) -> JobRun | None:
    try:
        with transaction.atomic():
            run = JobRun.objects.create(name=job.name, slot=slot)
            try:
                task, args = resolve(job.task)
            except MissingTarget as exc:
                logger.error("scheduler: job %s cannot run: %s", job.name, exc)
                run.status, run.error = RunStatus.ERROR, str(exc)[:2000]
            else:
                run.task_result_id = str(task.enqueue(*args).id)
            run.save(update_fields=["status", "error", "task_result_id"])
            return run
    except IntegrityError:
        return None  # another scheduler took this slot


def run_due(now: datetime | None = None, jobs: Iterable[Job] | None = None) -> list[JobRun]:
    """Enqueue each due job once; return the runs this pass created."""
    now = now or timezone.now()
    created = []
    for job in schedule.SCHEDULE if jobs is None else jobs:
        slot = job.slot(now)
        if JobRun.objects.filter(name=job.name, slot=slot).exists():
            continue
        run = _claim_and_enqueue(job, slot)
        if run is not None:
            logger.info("scheduler: %s slot %s → %s", job.name, slot.isoformat(), run.status)
            created.append(run)
    return created


def next_due(now: datetime, jobs: Iterable[Job] | None = None) -> datetime:
    """When the earliest next slot begins."""
    return min(job.next_slot(now) for job in (schedule.SCHEDULE if jobs is None else jobs))
