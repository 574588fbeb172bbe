"""With the applications app's own actions: accept starts the process, the decision decides the
case, withdrawal cancels the process (billing hooks stubbed: they are the billing app's tests)."""

from __future__ import annotations

import pytest

from zhengtong.services.applications import actions as application_actions
from zhengtong.services.applications import timeline
from zhengtong.services.applications.models import Status
from zhengtong.services.workflow.actions import complete_task
from zhengtong.services.workflow.models import InstanceStatus, ProcessInstance, TaskStatus, WorkTask


@pytest.fixture(autouse=True)
def _no_billing(monkeypatch):
    monkeypatch.setattr(timeline, "issue_bill", lambda target, *, actor: None)
    monkeypatch.setattr(timeline, "issue_licence", lambda app, *, actor: None)


def open_task(app) -> WorkTask:
    return WorkTask.objects.get(application=app, status=TaskStatus.OPEN)


def test_accept_review_decide_grants_the_application(app_factory, clerk, approver, dept_head, city):
    from zhengtong.testing import personas as P

    market_clerk = P.staff("clerk.market", "市场窗口", city.dept("market"), roles=["clerk"])
    app = app_factory("simple", status=Status.SUBMITTED)
    app = application_actions.do_accept(app, actor=market_clerk)
    assert ProcessInstance.objects.get(application=app).status == InstanceStatus.RUNNING
    complete_task(open_task(app), actor=approver, outcome="approve", comment="符合条件")
    complete_task(open_task(app), actor=dept_head, outcome="approve", comment="准予许可")
    app.refresh_from_db()
    assert app.status == Status.GRANTED and app.decided_by == dept_head
    assert ProcessInstance.objects.get(application=app).status == InstanceStatus.COMPLETED


def test_a_rejection_denies_the_application_with_the_comments(app_factory, approver, dept_head, city):
    from zhengtong.testing import personas as P

    market_clerk = P.staff("clerk.market", "市场窗口", city.dept("market"), roles=["clerk"])
    app = application_actions.do_accept(app_factory("simple", status=Status.SUBMITTED), actor=market_clerk)
    complete_task(open_task(app), actor=approver, outcome="reject", comment="经营场所与住所不一致")
    complete_task(open_task(app), actor=dept_head, outcome="reject")
    app.refresh_from_db()
    assert app.status == Status.DENIED and "经营场所与住所不一致" in app.decision_reason


def test_withdrawal_cancels_the_process(app_factory, applicant, city):
    from zhengtong.testing import personas as P

    market_clerk = P.staff("clerk.market", "市场窗口", city.dept("market"), roles=["clerk"])
    app = application_actions.do_accept(app_factory("simple", status=Status.SUBMITTED), actor=market_clerk)
    application_actions.do_withdraw(app, actor=applicant, reason="不再需要")
    assert ProcessInstance.objects.get(application=app).status == InstanceStatus.CANCELLED
    assert WorkTask.objects.get(application=app).status == TaskStatus.CANCELLED



def test_deciding_while_the_case_waits_for_a_supplement_is_a_409_not_a_crash(app_factory, approver,
                                                                               dept_head, city):
    from zhengtong.services.applications.models import Application
    from zhengtong.services.workflow.actions import WorkflowError
    from zhengtong.testing import personas as P

    market_clerk = P.staff("clerk.market", "市场窗口", city.dept("market"), roles=["clerk"])
    app = application_actions.do_accept(app_factory("simple", status=Status.SUBMITTED), actor=market_clerk)
    complete_task(open_task(app), actor=approver, outcome="approve", comment="符合条件")
    Application.objects.filter(pk=app.pk).update(status=Status.SUPPLEMENTING)
    decision = open_task(app)
    with pytest.raises(WorkflowError) as excinfo:
        complete_task(decision, actor=dept_head, outcome="approve", comment="准予")
    assert excinfo.value.status == 409 and "补正" in excinfo.value.message
    assert Application.objects.get(pk=app.pk).status == Status.SUPPLEMENTING
    assert open_task(app).pk == decision.pk  # nothing moved: the task is still open
