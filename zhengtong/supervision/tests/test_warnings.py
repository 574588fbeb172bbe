from __future__ import annotations

from datetime import date

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.notify.models import Message
from zhengtong.supervision.models import Warning
from zhengtong.supervision.tests.conftest import make_case
from zhengtong.supervision.warnings import issue_warnings

# A case of 5 working days from Monday 3 March 2025 is due Monday 10 March; yellow from Thursday 6 March.


def _case(city, handler):
    return make_case(city, "market_sub", title="登记案件", handler=handler)


def _inbox(user) -> int:
    return Message.objects.filter(recipient=user, channel="inbox").count()


def test_yellow_goes_to_the_handler_once(city, sub_handler, sub_head):
    case = _case(city, sub_handler)
    assert issue_warnings(date(2025, 3, 5)) == {"today": "2025-03-05", "yellow": 0, "red": 0}
    assert issue_warnings(date(2025, 3, 6))["yellow"] == 1
    assert issue_warnings(date(2025, 3, 6))["yellow"] == 0  # same day again
    assert issue_warnings(date(2025, 3, 7))["yellow"] == 0  # still yellow: never twice
    warning = Warning.objects.get(case=case)
    assert (warning.level, warning.escalation_level, warning.recipients) == ("yellow", 0, [sub_handler.pk])
    assert _inbox(sub_handler) == 1 and _inbox(sub_head) == 0
    assert AuditEntry.objects.filter(action="supervision.warning.issued").count() == 1


def test_red_escalates_one_level_each_working_day(city, sub_handler, sub_head, dept_head, supervisor):
    case = _case(city, sub_handler)
    issue_warnings(date(2025, 3, 11))  # 1 working day overdue
    issue_warnings(date(2025, 3, 12))  # 2
    issue_warnings(date(2025, 3, 13))  # 3
    issue_warnings(date(2025, 3, 14))  # 4: supervisors again
    red = list(Warning.objects.filter(case=case, level="red").order_by("sent_on"))
    assert [(w.escalation_level, w.overdue_days) for w in red] == [(1, 1), (2, 2), (3, 3), (3, 4)]
    assert set(red[0].recipients) == {sub_handler.pk, sub_head.pk}
    assert set(red[1].recipients) == {sub_handler.pk, sub_head.pk, dept_head.pk}
    assert set(red[2].recipients) == {sub_handler.pk, sub_head.pk, dept_head.pk, supervisor.pk}
    assert _inbox(supervisor) == 2
    assert Message.objects.filter(recipient=sub_head, channel="sms").count() == 4


def test_a_second_run_the_same_day_sends_nothing(city, sub_handler, sub_head):
    _case(city, sub_handler)
    assert issue_warnings(date(2025, 3, 11))["red"] == 1
    messages = Message.objects.count()
    assert issue_warnings(date(2025, 3, 11))["red"] == 0
    assert Message.objects.count() == messages
    assert Warning.objects.count() == 1


def test_no_warnings_on_a_non_working_day(city, sub_handler):
    _case(city, sub_handler)
    assert issue_warnings(date(2025, 3, 15))["skipped"] == "non-working day"
    assert not Warning.objects.exists()


def test_a_department_without_a_parent_escalates_straight_to_supervisors(city, approver, dept_head, supervisor):
    case = make_case(city, "market", title="局本级", handler=approver)
    issue_warnings(date(2025, 3, 12))  # already 2 days overdue on its first run
    warning = Warning.objects.get(case=case)
    assert warning.escalation_level == 2
    assert set(warning.recipients) == {approver.pk, dept_head.pk, supervisor.pk}


def test_paused_and_finished_cases_are_not_warned(city, sub_handler):
    from zhengtong.core.timelimits.actions import finish_case, pause_case

    paused = _case(city, sub_handler)
    pause_case(paused, on=date(2025, 3, 4), reason="补正材料")
    done = _case(city, sub_handler)
    finish_case(done, on=date(2025, 3, 5))
    assert issue_warnings(date(2025, 3, 12)) == {"today": "2025-03-12", "yellow": 0, "red": 0}
