from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.timelimits.actions import (
    CaseStateError,
    extend_case,
    finish_case,
    finish_open_case,
    open_case,
    pause_case,
    resume_case,
)
from zhengtong.core.timelimits.models import CasePause, CaseStatus, TimedCase
from zhengtong.core.timelimits.registry import register_case_type

D = date.fromisoformat
register_case_type("test.reply", "测试答复", default_limit_days=20)


def _open(city, started: str = "2025-03-03", *, dept: str = "market", today: str | None = None,
          **kwargs) -> TimedCase:
    return open_case(case_type="test.reply", object_type="test.request", object_id="7", title="依申请公开",
                     department=city.dept(dept), started_on=D(started), today=D(today or started), **kwargs)


def test_opening_a_case_sets_its_dates_and_is_audited(db, city):
    case = _open(city)
    assert case.due_date == D("2025-03-31")  # 20 working days, March 2025 has no holiday
    assert case.yellow_from == D("2025-03-27")  # 2 working days left from 27 March
    assert case.status == CaseStatus.NORMAL and not case.due_provisional
    assert case.region == city.dept("market").region
    assert AuditEntry.objects.get(action="timelimits.case.opened").object_id == str(case.pk)


def test_natural_day_limits_end_on_a_working_day(db, city):
    case = _open(city, "2025-09-24", limit_days=7, limit_unit="natural")
    assert case.due_date == D("2025-10-09")  # 1 October is a holiday: next working day


def test_a_pause_pushes_the_due_date_by_its_working_days(db, city):
    case = _open(city)
    pause_case(case, on=D("2025-03-10"), reason="补正材料")
    case.refresh_from_db()
    assert case.status == CaseStatus.PAUSED and case.paused_since == D("2025-03-10")
    resume_case(case, on=D("2025-03-14"), today=D("2025-03-14"))
    case.refresh_from_db()
    assert case.paused_days == 4
    assert case.due_date == D("2025-04-07")  # 31 March + 4 working days, over Qingming (4 April)
    assert case.status == CaseStatus.NORMAL and case.paused_since is None
    assert AuditEntry.objects.filter(action__in=["timelimits.case.paused", "timelimits.case.resumed"]).count() == 2


def test_a_same_day_pause_costs_nothing(db, city):
    case = _open(city)
    pause_case(case, on=D("2025-03-10"), reason="当日补正")
    case = resume_case(case, on=D("2025-03-10"), today=D("2025-03-10"))
    assert case.due_date == D("2025-03-31")


def test_it_refuses_to_pause_twice_or_resume_a_running_case(db, city):
    case = _open(city)
    with pytest.raises(CaseStateError):
        resume_case(case, on=D("2025-03-10"))
    pause_case(case, on=D("2025-03-10"), reason="补正")
    with pytest.raises(CaseStateError):
        pause_case(case, on=D("2025-03-11"), reason="再次")
    assert CasePause.objects.count() == 1


def test_it_refuses_a_resume_before_the_pause(db, city):
    case = _open(city)
    pause_case(case, on=D("2025-03-10"), reason="补正")
    with pytest.raises(CaseStateError):
        resume_case(case, on=D("2025-03-07"))


def test_an_extension_needs_the_extend_permission_in_scope(db, city, approver):
    case = _open(city)
    with pytest.raises(PermissionDenied):
        extend_case(case, days=20, reason="情况复杂", approver=approver)


def test_an_extension_by_the_department_head_moves_the_due_date(db, city, dept_head):
    case = _open(city)
    extend_case(case, days=20, reason="需征求第三方意见", approver=dept_head, today=D("2025-03-20"))
    case.refresh_from_db()
    assert case.extended_days == 20
    assert case.due_date == D("2025-04-28")  # 40 working days: Qingming off, Sunday 27 April on (调休)
    assert AuditEntry.objects.get(action="timelimits.case.extended").actor_id == dept_head.pk


def test_a_head_of_another_department_cannot_extend(db, city, dept_head):
    case = _open(city, dept="county_approval")
    with pytest.raises(PermissionDenied):
        extend_case(case, days=5, reason="x", approver=dept_head)


@pytest.mark.parametrize("days", [0, -3])
def test_it_refuses_non_positive_extensions(db, city, dept_head, days):
    with pytest.raises(CaseStateError):
        extend_case(_open(city), days=days, reason="x", approver=dept_head)


def test_finishing_after_the_due_date_is_late(db, city):
    case = finish_case(_open(city), on=D("2025-04-01"))
    assert case.status == CaseStatus.FINISHED and case.finished_late
    on_time = finish_case(_open(city), on=D("2025-03-31"))
    assert not on_time.finished_late
    with pytest.raises(CaseStateError):
        finish_case(case, on=D("2025-04-02"))


def test_finishing_an_open_case_reads_it_once_and_leaves_a_finished_one(db, city):
    stale = _open(city, "2025-03-03")
    # changed since ``stale`` was read
    TimedCase.objects.filter(pk=stale.pk).update(limit_days=2, status=CaseStatus.RED)
    with CaptureQueriesContext(connection) as queries:
        finished = finish_open_case(stale, today=D("2025-03-04"))
    touching = [q["sql"] for q in queries if '"timelimits_timedcase"' in q["sql"].split(" WHERE ")[0]]
    if connection.vendor == "postgresql":  # a running clock: locked, finished and read back in one statement
        assert len(touching) == 1 and touching[0].startswith("UPDATE") and "FOR UPDATE" in touching[0]
    else:  # one locked read, one write
        assert [sql.split(" ")[0] for sql in touching] == ["SELECT", "UPDATE"]
    assert finished is stale and stale.limit_days == 2 and stale.finished_on == D("2025-03-04")
    assert stale.status == CaseStatus.FINISHED and not stale.finished_late
    entry = AuditEntry.objects.filter(action="timelimits.case.finished", object_id=str(stale.pk)).get()
    assert entry.before["status"] == CaseStatus.RED and entry.after["finished_on"] == "2025-03-04"
    assert finish_open_case(stale.pk, today=D("2025-03-10")) is None  # already finished: left alone
    assert TimedCase.objects.get(pk=stale.pk).finished_on == D("2025-03-04")
    early = _open(city, "2025-03-10")
    assert finish_open_case(early.pk, today=D("2025-03-05")).finished_on == D("2025-03-10")  # not before its start


def test_finishing_a_paused_case_closes_the_pause(db, city):
    case = _open(city)
    pause_case(case, on=D("2025-03-28"), reason="等待鉴定")
    case = finish_case(case, on=D("2025-04-03"))
    assert not case.finished_late  # the clock was stopped
    assert case.pauses.get().ended_on == D("2025-04-03")


def test_each_pause_is_counted_and_outcomes_read_pauses_only_when_there_were_any(db, city):
    from zhengtong.supervision.models import CaseOutcome

    never = _open(city)
    with CaptureQueriesContext(connection) as queries:
        finish_case(never, on=D("2025-03-05"))
    assert not [q for q in queries if '"timelimits_casepause"' in q["sql"]]
    assert CaseOutcome.objects.get(case=never).supplemented is False
    twice = _open(city)
    pause_case(twice, on=D("2025-03-04"), reason="补正材料")
    resume_case(twice, on=D("2025-03-05"), today=D("2025-03-05"))
    pause_case(twice, on=D("2025-03-06"), reason="等待鉴定")
    twice = finish_case(twice, on=D("2025-03-07"))
    assert twice.pause_count == 2 and TimedCase.objects.get(pk=twice.pk).pause_count == 2
    assert CaseOutcome.objects.get(case=twice).supplemented is True


def test_the_migration_counts_the_pauses_cases_already_have(db, city):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("zhengtong.core.timelimits.migrations.0005_pause_count")
    paused, plain = _open(city), _open(city)
    CasePause.objects.bulk_create([CasePause(case=paused, reason="补正", started_on=D("2025-03-04"),
                                             ended_on=D("2025-03-05")),
                                   CasePause(case=paused, reason="鉴定", started_on=D("2025-03-06"))])
    migration.count_pauses(apps, None)
    assert dict(TimedCase.objects.filter(pk__in=[paused.pk, plain.pk]).values_list("pk", "pause_count")) == {
        paused.pk: 2, plain.pk: 0}


def test_it_rejects_a_negative_limit(db, city):
    with pytest.raises(CaseStateError):
        _open(city, limit_days=-1)


def test_the_statutory_clock_runs_beside_the_promise_and_pauses_with_it(db, city, applicant):
    case = _open(city, limit_days=5, statutory_days=20, subject_code="SX-001", subject_name="食品经营许可",
                 party=applicant)
    assert case.due_date == D("2025-03-10") and case.statutory_due_date == D("2025-03-31")
    pause_case(case, on=D("2025-03-04"), reason="补正材料")
    case = resume_case(case, on=D("2025-03-06"), today=D("2025-03-06"))
    assert case.due_date == D("2025-03-12") and case.statutory_due_date == D("2025-04-02")
    assert case.subject_code == "SX-001" and case.party == applicant


def test_finishing_a_case_sends_case_finished_inside_the_transaction(db, city):
    from zhengtong.core.timelimits.signals import case_finished

    seen = []

    def receiver(sender, case, actor, **kwargs):
        seen.append(case.pk)

    case_finished.connect(receiver)
    try:
        case = finish_case(_open(city), on=D("2025-03-05"))
    finally:
        case_finished.disconnect(receiver)
    assert seen == [case.pk]
