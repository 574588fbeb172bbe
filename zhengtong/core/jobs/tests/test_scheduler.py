from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django_tasks import task

from zhengtong.core.jobs import schedule
from zhengtong.core.jobs.models import JobRun, RunStatus
from zhengtong.core.jobs.schedule import Job
from zhengtong.core.jobs.scheduler import _claim_and_enqueue, next_due, run_due

CALLS: list[str] = []


@task()
def ping() -> str:
    CALLS.append("task")
    return "pong"


def plain() -> int:
    CALLS.append("plain")
    return 42


NOW = datetime(2025, 9, 25, 1, 7, 30, tzinfo=UTC)  # 09:07:30 in Shanghai


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()
    yield
    CALLS.clear()


@pytest.fixture
def test_schedule(monkeypatch):
    jobs = (Job("test.ping", f"{__name__}.ping", every=timedelta(minutes=5)),
            Job("test.plain", f"{__name__}.plain", daily_at=time(2, 30)))
    monkeypatch.setattr(schedule, "SCHEDULE", jobs)
    return jobs


def test_interval_slots_are_multiples_of_the_interval():
    job = Job("x", "x.y", every=timedelta(minutes=5))
    assert job.slot(NOW) == datetime(2025, 9, 25, 1, 5, tzinfo=UTC)
    assert job.next_slot(NOW) == datetime(2025, 9, 25, 1, 10, tzinfo=UTC)


def test_daily_slots_are_local_wall_clock_times():
    job = Job("x", "x.y", daily_at=time(2, 30))
    assert job.slot(NOW) == datetime(2025, 9, 24, 18, 30, tzinfo=UTC)  # 02:30 in Shanghai today
    assert job.next_slot(NOW) == datetime(2025, 9, 25, 18, 30, tzinfo=UTC)
    early = datetime(2025, 9, 24, 18, 0, tzinfo=UTC)  # 02:00 in Shanghai: today's run not due yet
    assert job.slot(early) == datetime(2025, 9, 23, 18, 30, tzinfo=UTC)


def test_a_job_needs_exactly_one_kind_of_period():
    with pytest.raises(ValueError):
        Job("x", "x.y")
    with pytest.raises(ValueError):
        Job("x", "x.y", every=timedelta(seconds=5))


@pytest.mark.django_db
def test_once_enqueues_each_due_job_exactly_once(test_schedule):
    call_command("scheduler", "--once")
    call_command("scheduler", "--once")
    assert sorted(JobRun.objects.values_list("name", "status")) == [
        ("test.ping", RunStatus.ENQUEUED), ("test.plain", RunStatus.ENQUEUED)]
    assert sorted(CALLS) == ["plain", "task"]
    assert all(run.task_result_id for run in JobRun.objects.all())


@pytest.mark.django_db
def test_a_new_slot_runs_again(test_schedule):
    run_due(NOW)
    run_due(NOW + timedelta(minutes=1))
    run_due(NOW + timedelta(minutes=5))
    assert JobRun.objects.filter(name="test.ping").count() == 2
    assert JobRun.objects.filter(name="test.plain").count() == 1


@pytest.mark.django_db
def test_a_second_scheduler_cannot_take_the_same_slot(test_schedule):
    job = test_schedule[0]
    assert _claim_and_enqueue(job, job.slot(NOW)) is not None
    assert _claim_and_enqueue(job, job.slot(NOW)) is None  # the unique (name, slot) refuses it
    assert CALLS == ["task"]


@pytest.mark.django_db
def test_a_missing_task_path_is_logged_not_raised(monkeypatch, caplog):
    monkeypatch.setattr(schedule, "SCHEDULE", (
        Job("test.missing", "zhengtong.no_such_module.tasks.refresh", every=timedelta(minutes=5)),
        Job("test.ping", f"{__name__}.ping", every=timedelta(minutes=5))))
    with caplog.at_level("ERROR", logger="zhengtong.jobs.scheduler"):
        call_command("scheduler", "--once")
    missing = JobRun.objects.get(name="test.missing")
    assert missing.status == RunStatus.ERROR and "no_such_module" in missing.error
    assert "test.missing" in caplog.text
    assert CALLS == ["task"]  # the other jobs still ran


def test_the_real_schedule_lists_the_platform_jobs():
    names = {job.name for job in schedule.SCHEDULE}
    assert {"timelimits.refresh_statuses", "calendar.warn_if_next_year_missing", "notify.retry_failed",
            "audit.verify_chain"} <= names
    assert len(names) == len(schedule.SCHEDULE)
    assert next_due(NOW) == datetime(2025, 9, 25, 1, 10, tzinfo=UTC)


@pytest.mark.django_db
def test_the_real_schedule_runs_a_pass_without_crashing():
    assert len(run_due(NOW)) == len(schedule.SCHEDULE)


def test_every_scheduled_target_exists():
    from django.utils.module_loading import import_string

    for job in schedule.SCHEDULE:
        target = import_string(job.task)
        assert callable(getattr(target, "func", target)), job.name
