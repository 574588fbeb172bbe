"""Reads for the console page: recent scheduled runs and task results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.utils import timezone

from zhengtong.core.jobs import schedule
from zhengtong.core.jobs.models import JobRun
from zhengtong.core.jobs.schedule import Job


@dataclass(frozen=True)
class JobRow:
    job: Job
    last: JobRun | None
    next_slot: datetime


def schedule_rows(now: datetime | None = None) -> list[JobRow]:
    now = now or timezone.now()
    last = {}
    for run in JobRun.objects.filter(name__in=[j.name for j in schedule.SCHEDULE]).order_by("name", "-slot"):
        last.setdefault(run.name, run)
    return [JobRow(job, last.get(job.name), job.next_slot(now)) for job in schedule.SCHEDULE]


def recent_runs(limit: int = 50) -> list[JobRun]:
    return list(JobRun.objects.order_by("-enqueued_at")[:limit])


def recent_task_results(limit: int = 50) -> list:
    """The database backend's task rows (empty when another backend is configured)."""
    if not apps.is_installed("django_tasks_db"):
        return []
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.order_by("-enqueued_at")
                .only("id", "status", "task_path", "enqueued_at", "started_at", "finished_at",
                      "exception_class_path", "queue_name")[:limit])
