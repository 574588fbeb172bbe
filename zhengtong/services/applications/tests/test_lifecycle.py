from __future__ import annotations

import threading
from datetime import date

import pytest
import time_machine
from django.db import connection

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.notify.models import Message
from zhengtong.core.timelimits.models import CaseStatus
from zhengtong.services.applications import actions
from zhengtong.services.applications.errors import InvalidInput, StateConflict
from zhengtong.services.applications.models import Application, Status
from zhengtong.services.applications.tests.helpers import submit
from zhengtong.testing import personas as P

pytestmark = pytest.mark.django_db
TUESDAY = "2026-05-12 10:00 +08:00"


@time_machine.travel(TUESDAY, tick=False)
def test_accept_switches_clocks_and_calls_engine_and_billing(item, applicant, clerk, form_data, hooks):
    app = actions.do_accept(submit(item, applicant, form_data), actor=clerk)
    assert app.status == Status.REVIEWING and app.accepted_by == clerk  # the process runs
    assert app.acceptance_case.status == CaseStatus.FINISHED
    case = app.processing_case
    assert case.case_type == "services.application" and case.limit_days == 10 and case.statutory_days == 20
    assert case.handler == clerk and case.party == applicant and case.subject_name == "食品经营许可"
    assert case.due_date == date(2026, 5, 26)
    hooks.start.assert_called_once()
    hooks.bill.assert_called_once()
    assert AuditEntry.objects.filter(action="applications.application.accepted").count() == 1
    assert Message.objects.filter(recipient=applicant, subject__contains="已受理").exists()


def test_clerk_of_another_department_cannot_accept(item, applicant, other_clerk, form_data):
    from django.core.exceptions import PermissionDenied

    app = submit(item, applicant, form_data)
    with pytest.raises(PermissionDenied):
        actions.do_accept(app, actor=other_clerk)
    assert Application.objects.get().status == Status.SUBMITTED


def test_refusal_needs_a_reason_and_finishes_the_clock(item, applicant, clerk, form_data):
    app = submit(item, applicant, form_data)
    with pytest.raises(InvalidInput, match="理由"):
        actions.do_refuse(app, reason="  ", actor=clerk)
    app = actions.do_refuse(app, reason="不属于本部门职权范围", actor=clerk)
    assert app.status == Status.REFUSED and app.acceptance_case.status == CaseStatus.FINISHED


def test_it_refuses_acceptance_after_withdrawal(item, applicant, clerk, form_data, hooks):
    app = submit(item, applicant, form_data)
    actions.do_withdraw(app, actor=applicant)
    with pytest.raises(StateConflict, match="申请人已撤回该办件，不能受理") as exc:
        actions.do_accept(app, actor=clerk)
    assert exc.value.status == 409
    hooks.cancel.assert_not_called()  # never accepted: no process to cancel


def test_it_refuses_a_decision_on_a_withdrawn_case(item, applicant, clerk, approver, form_data, hooks):
    app = actions.do_accept(submit(item, applicant, form_data), actor=clerk)
    app = actions.do_withdraw(app, actor=applicant, reason="不需要了")
    hooks.cancel.assert_called_once()
    assert app.processing_case.status == CaseStatus.FINISHED
    assert Message.objects.filter(recipient=clerk, subject__contains="撤回").exists()
    with pytest.raises(StateConflict, match="申请人已撤回该办件，不能作出决定"):
        actions.do_decide(app, granted=True, reason="", actor=approver)
    assert Application.objects.get().status == Status.WITHDRAWN
    hooks.licence.assert_not_called()


def test_withdraw_twice_is_a_conflict_and_others_may_not_withdraw(item, applicant, enterprise_user, form_data):
    from django.core.exceptions import PermissionDenied

    app = submit(item, applicant, form_data)
    with pytest.raises(PermissionDenied):
        actions.do_withdraw(app, actor=enterprise_user)
    actions.do_withdraw(app, actor=applicant)
    with pytest.raises(StateConflict):
        actions.do_withdraw(app, actor=applicant)


def test_decide_grants_issues_the_licence_and_notifies(item, applicant, clerk, approver, form_data, hooks):
    app = actions.do_accept(submit(item, applicant, form_data), actor=clerk)
    with pytest.raises(InvalidInput, match="理由"):
        actions.do_decide(app, granted=False, reason="", actor=approver)
    app = actions.do_decide(app, granted=True, reason="", actor=approver)
    assert app.status == Status.GRANTED and app.processing_case.status == CaseStatus.FINISHED
    hooks.licence.assert_called_once()
    channels = set(Message.objects.filter(recipient=applicant, subject__contains="已办结").values_list(
        "channel", flat=True))
    assert channels == {"inbox", "sms", "email"}
    with pytest.raises(StateConflict):
        actions.do_decide(app, granted=False, reason="重复", actor=approver)


def test_delivery_can_change_until_the_decision(item, applicant, clerk, approver, form_data):
    app = actions.do_accept(submit(item, applicant, form_data), actor=clerk)
    app = actions.do_change_delivery(app, delivery="window", address="", actor=applicant)
    assert app.delivery == "window"
    actions.do_decide(app, granted=True, reason="", actor=approver)
    with pytest.raises(StateConflict):
        actions.do_change_delivery(app, delivery="download", address="", actor=applicant)


@time_machine.travel(TUESDAY, tick=False)
def test_special_step_pauses_and_resumes_the_processing_clock(item, applicant, clerk, approver, form_data):
    app = actions.do_accept(submit(item, applicant, form_data), actor=clerk)
    due = app.processing_case.due_date
    step = actions.do_start_special_step(app, kind="inspection", note="现场核查", actor=clerk)
    app.refresh_from_db()
    assert app.status == Status.SPECIAL_STEP and app.processing_case.status == CaseStatus.PAUSED
    with pytest.raises(StateConflict):
        actions.do_decide(app, granted=True, reason="", actor=approver)
    with time_machine.travel("2026-05-15 10:00 +08:00", tick=False):
        actions.do_end_special_step(step, note="核查合格", actor=clerk)
    app.refresh_from_db()
    app.processing_case.refresh_from_db()
    assert app.status == Status.REVIEWING and app.processing_case.status != CaseStatus.PAUSED
    assert app.processing_case.due_date > due


@pytest.mark.django_db(transaction=True)
def test_two_clerks_accepting_at_once_exactly_one_wins(item, applicant, clerk, form_data):
    second = P.staff("clerk.qian", "钱多", item.department, roles=["clerk"])
    app = submit(item, applicant, form_data)
    barrier = threading.Barrier(2)
    outcomes: list = []

    def accept(user):
        try:
            barrier.wait()
            actions.do_accept(Application.objects.get(pk=app.pk), actor=user)
            outcomes.append("won")
        except StateConflict as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(u,)) for u in (clerk, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("won") == 1
    [lost] = [o for o in outcomes if o != "won"]
    assert lost.status == 409 and "已由" in lost.message and "受理" in lost.message
    app.refresh_from_db()
    assert app.status == Status.REVIEWING
    assert AuditEntry.objects.filter(action="applications.application.accepted").count() == 1


def test_hooks_into_absent_sibling_modules_are_skipped_not_raised(caplog):
    from zhengtong.services.applications.timeline import optional_hook

    assert optional_hook("zhengtong.services.no_such_module", "start_process") is None
    assert optional_hook("zhengtong.services.applications.numbers", "no_such_function") is None
    assert "not" in caplog.text
