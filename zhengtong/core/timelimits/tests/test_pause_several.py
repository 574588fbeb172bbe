from __future__ import annotations

from datetime import date

import pytest

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.timelimits.actions import (
    finish_case,
    open_case,
    pause_case,
    pause_cases,
    resume_cases,
)
from zhengtong.core.timelimits.models import CaseStatus
from zhengtong.core.timelimits.registry import register_case_type

D = date.fromisoformat
register_case_type("test.several", "测试多时限", default_limit_days=10)

pytestmark = pytest.mark.django_db


def _open(city, started: str, object_id: str):
    return open_case(case_type="test.several", object_type="test.thing", object_id=object_id, title="测试",
                     department=city.dept("market"), started_on=D(started), today=D(started))


def test_several_clocks_pause_and_resume_together(city):
    a, b = _open(city, "2025-03-03", "1"), _open(city, "2025-03-05", "2")
    pauses = pause_cases([b, a], on=D("2025-03-04"), reason="听证")
    assert [p.case_id for p in pauses] == [a.pk, b.pk]
    # b started after the pause day: it pauses from its own start
    assert [p.started_on for p in pauses] == [D("2025-03-04"), D("2025-03-05")]
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == b.status == CaseStatus.PAUSED
    resumed = resume_cases([a, b], on=D("2025-03-07"), today=D("2025-03-07"))
    assert {c.pk for c in resumed} == {a.pk, b.pk}
    assert (resumed[0].paused_days, resumed[1].paused_days) == (3, 2)  # 5–7 March; 6–7 March
    assert AuditEntry.objects.filter(action="timelimits.case.paused").count() == 2
    assert AuditEntry.objects.filter(action="timelimits.case.resumed").count() == 2


def test_clocks_not_running_are_left_alone(city):
    running, paused, finished = (_open(city, "2025-03-03", str(i)) for i in range(3))
    pause_case(paused, on=D("2025-03-03"), reason="补正")
    finish_case(finished, on=D("2025-03-04"))
    pauses = pause_cases([running, paused, finished], on=D("2025-03-05"), reason="现场核查")
    assert [p.case_id for p in pauses] == [running.pk]
    resumed = resume_cases([running, finished], on=D("2025-03-06"), today=D("2025-03-06"))
    assert [c.pk for c in resumed] == [running.pk]
    paused.refresh_from_db()
    finished.refresh_from_db()
    assert paused.status == CaseStatus.PAUSED and finished.status == CaseStatus.FINISHED


def test_a_resume_before_the_pause_costs_no_time(city):
    case = _open(city, "2025-03-03", "9")
    pause_cases([case], on=D("2025-03-06"), reason="公示")
    [resumed] = resume_cases([case], on=D("2025-03-04"), today=D("2025-03-06"))
    assert resumed.paused_days == 0 and resumed.status != CaseStatus.PAUSED
