"""Each shipped process runs to completion; rejection leads to a deny; state survives reload."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from SpiffWorkflow.util.task import TaskState

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.timelimits.models import CaseStatus, TimedCase
from zhengtong.services.workflow import definitions
from zhengtong.services.workflow.actions import (
    WorkflowError,
    cancel_process,
    complete_task,
    start_process,
)
from zhengtong.services.workflow.models import (
    InstanceStatus,
    ProcessConfig,
    ProcessInstance,
    ProcessSpec,
    TaskStatus,
    WorkTask,
)


def open_tasks(app) -> list[WorkTask]:
    return list(WorkTask.objects.filter(application=app, status=TaskStatus.OPEN).order_by("spec_name"))


def only(app) -> WorkTask:
    tasks = open_tasks(app)
    assert len(tasks) == 1, [t.label for t in tasks]
    return tasks[0]


def test_simple_process_runs_review_then_decision_to_a_grant(app_factory, approver, dept_head, decisions):
    app = app_factory("simple")
    instance = start_process(app, actor=approver)
    review = only(app)
    assert (review.spec_name, review.label, review.role_code) == ("review", "审查", "approver")
    assert review.department == app.department
    case = review.timed_case
    assert case.case_type == "services.review_task" and case.limit_days == 3 and case.status == CaseStatus.NORMAL
    assert review.due_date == case.due_date
    complete_task(review, actor=approver, outcome="approve", comment="材料齐全")
    decide = only(app)
    assert (decide.spec_name, decide.role_code, decide.decision) == ("decide", "dept_head", True)
    assert not decisions
    complete_task(decide, actor=dept_head, outcome="approve", comment="准予")
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.COMPLETED and instance.finished_at
    assert decisions == [{"application": decisions[0]["application"], "granted": True, "reason": "准予",
                          "actor": dept_head}]
    assert TimedCase.objects.get(pk=case.pk).status == CaseStatus.FINISHED
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"workflow.process.started", "workflow.task.opened", "workflow.task.completed",
            "workflow.process.decided"} <= actions


def test_countersign_runs_two_departments_in_order(app_factory, approver, dept_head, co_depts, co_approvers,
                                                   decisions, city):
    from zhengtong.testing import personas as P

    zrzy_head = P.staff("head.zrzy", "自然资源负责人", co_depts["自然资源"], roles=["dept_head"])
    ProcessConfig.objects.create(process_key="countersign", branches=[
        {"department_code": "SF-ZJ", "label": "住建会签", "limit_days": 2, "role": "approver"},
        {"department_code": "SF-ZRZY", "label": "自然资源会签", "limit_days": 2, "role": "dept_head"}])
    app = app_factory("countersign")
    start_process(app, actor=approver)
    complete_task(only(app), actor=approver, outcome="approve")
    first = only(app)
    assert (first.label, first.department.code, first.role_code) == ("住建会签", "SF-ZJ", "approver")
    complete_task(first, actor=co_approvers["住建"], outcome="approve")
    second = only(app)
    assert (second.label, second.department.code, second.role_code) == ("自然资源会签", "SF-ZRZY", "dept_head")
    with pytest.raises(PermissionDenied):  # an approver of that department does not hold the role
        complete_task(second, actor=co_approvers["自然资源"], outcome="approve")
    complete_task(second, actor=zrzy_head, outcome="approve")
    complete_task(only(app), actor=dept_head, outcome="approve")
    assert decisions[0]["granted"] is True


def test_parallel_branches_open_at_once_with_own_limits_and_decision_waits(app_factory, approver, dept_head,
                                                                          parallel_config, co_approvers, decisions):
    app = app_factory("parallel")
    start_process(app, actor=approver)
    complete_task(only(app), actor=approver, outcome="approve")
    branches = open_tasks(app)
    assert [(t.label, t.department.code, t.timed_case.limit_days) for t in branches] == [
        ("住建部门审查", "SF-ZJ", 5), ("自然资源部门审查", "SF-ZRZY", 3), ("消防审查", "SF-YJ", 7)]
    assert len({t.due_date for t in branches}) == 3
    assert all(t.timed_case.status == CaseStatus.NORMAL for t in branches)
    for task, who in zip(branches[:2], ["住建", "自然资源"], strict=True):
        complete_task(task, actor=co_approvers[who], outcome="approve")
        assert not WorkTask.objects.filter(application=app, spec_name="decide").exists()
    complete_task(branches[2], actor=co_approvers["消防"], outcome="approve")
    decide = only(app)
    assert decide.spec_name == "decide" and decide.department == app.department
    complete_task(decide, actor=dept_head, outcome="approve")
    assert decisions[0]["granted"] is True


def test_parallel_slots_without_a_configured_department_are_skipped(app_factory, approver, dept_head, co_depts,
                                                                   co_approvers, decisions):
    ProcessConfig.objects.create(process_key="parallel", branches=[
        {"department_code": "SF-ZJ", "label": "住建", "limit_days": 5},
        {"department_code": "SF-YJ", "label": "消防", "limit_days": 5}])
    app = app_factory("parallel")
    start_process(app, actor=approver)
    complete_task(only(app), actor=approver, outcome="approve")
    assert [t.label for t in open_tasks(app)] == ["住建", "消防"]
    for task in open_tasks(app):
        complete_task(task, actor=co_approvers[task.label], outcome="approve")
    assert only(app).spec_name == "decide"


def test_an_item_specific_configuration_wins_over_the_default(app_factory, approver, parallel_config, co_depts):
    ProcessConfig.objects.create(process_key="parallel", item_code="ITEM-ZJ",
                                 branches=[{"department_code": "SF-ZJ", "label": "只有住建", "limit_days": 4}])
    app = app_factory("parallel", code="ITEM-ZJ")
    start_process(app, actor=approver)
    complete_task(only(app), actor=approver, outcome="approve")
    assert [t.label for t in open_tasks(app)] == ["只有住建"]


def test_a_review_rejection_goes_straight_to_a_deny(app_factory, approver, dept_head, co_depts, decisions):
    ProcessConfig.objects.create(process_key="countersign", branches=[
        {"department_code": "SF-ZJ", "limit_days": 2}, {"department_code": "SF-ZRZY", "limit_days": 2}])
    app = app_factory("countersign")
    start_process(app, actor=approver)
    review = only(app)
    with pytest.raises(WorkflowError, match="理由"):
        complete_task(review, actor=approver, outcome="reject", comment=" ")
    complete_task(review, actor=approver, outcome="reject", comment="场所面积不足")
    decide = only(app)
    assert decide.spec_name == "decide"  # the countersign steps were skipped
    with pytest.raises(WorkflowError, match="只能作出不予许可"):
        complete_task(decide, actor=dept_head, outcome="approve")
    complete_task(decide, actor=dept_head, outcome="reject")
    assert decisions[0]["granted"] is False
    assert "场所面积不足" in decisions[0]["reason"] and "审查" in decisions[0]["reason"]


def test_a_rejecting_branch_still_waits_for_the_others_then_denies(app_factory, approver, dept_head,
                                                                  parallel_config, co_approvers, decisions):
    app = app_factory("parallel")
    start_process(app, actor=approver)
    complete_task(only(app), actor=approver, outcome="approve")
    zj, zrzy, yj = open_tasks(app)
    complete_task(zrzy, actor=co_approvers["自然资源"], outcome="reject", comment="用地性质不符")
    assert len(open_tasks(app)) == 2
    complete_task(zj, actor=co_approvers["住建"], outcome="approve")
    complete_task(yj, actor=co_approvers["消防"], outcome="approve")
    complete_task(only(app), actor=dept_head, outcome="reject", comment="")
    assert decisions[0]["granted"] is False
    assert "用地性质不符" in decisions[0]["reason"]


def test_return_at_the_decision_loops_back_to_review_and_clears_rejections(app_factory, approver, dept_head,
                                                                          decisions):
    app = app_factory("simple")
    start_process(app, actor=approver)
    review = only(app)
    with pytest.raises(WorkflowError, match="只有决定环节"):
        complete_task(review, actor=approver, outcome="return", comment="x")
    complete_task(review, actor=approver, outcome="reject", comment="缺少平面图")
    complete_task(only(app), actor=dept_head, outcome="return", comment="平面图已在共享库，请重新审查")
    again = only(app)
    assert again.spec_name == "review" and again.pk != review.pk
    complete_task(again, actor=approver, outcome="approve")
    complete_task(only(app), actor=dept_head, outcome="approve", comment="准予")
    assert decisions[0]["granted"] is True


def test_an_unknown_outcome_is_refused_and_nothing_changes(app_factory, approver):
    app = app_factory("simple")
    instance = start_process(app, actor=approver)
    version = ProcessInstance.objects.get(pk=instance.pk).version
    with pytest.raises(WorkflowError, match="未知的办理意见"):
        complete_task(only(app), actor=approver, outcome="maybe")
    assert ProcessInstance.objects.get(pk=instance.pk).version == version
    assert only(app).status == TaskStatus.OPEN


def test_the_instance_survives_a_reload_from_the_database_mid_process(app_factory, approver, parallel_config,
                                                                     co_approvers):
    app = app_factory("parallel")
    start_process(app, actor=approver)
    complete_task(only(app), actor=approver, outcome="approve")
    definitions.forget_specs()  # nothing in memory: the parsed spec and the workflow
    stored = ProcessInstance.objects.get(application=app)
    assert stored.version == 3
    workflow = definitions.restore(stored.state, allow_scripts=False)
    ready = {str(t.id) for t in workflow.get_tasks(state=TaskState.READY, manual=True)}
    assert ready == {t.spiff_id for t in open_tasks(app)}
    complete_task(open_tasks(app)[0], actor=co_approvers["住建"], outcome="approve")
    assert len(open_tasks(app)) == 2


def test_the_state_names_its_spec_which_is_stored_once(app_factory, approver, parallel_config):
    first, second = app_factory("parallel"), app_factory("parallel")
    start_process(first, actor=approver)
    start_process(second, actor=approver)
    complete_task(only(first), actor=approver, outcome="approve")
    states = [json.loads(i.state) for i in ProcessInstance.objects.order_by("pk")]
    assert [s["spec"]["key"] for s in states] == ["parallel", "parallel"]
    assert "task_specs" not in states[0]["spec"] and states[0]["spec"] == states[1]["spec"]
    stored = ProcessSpec.objects.get()
    assert (stored.sha256, stored.process_key) == (states[0]["spec"]["sha256"], "parallel")
    assert "task_specs" in json.loads(stored.spec)


def test_a_running_case_keeps_its_process_when_the_shipped_one_changes(app_factory, approver, dept_head,
                                                                       parallel_config, co_approvers, monkeypatch):
    running = app_factory("parallel")
    start_process(running, actor=approver)
    definitions.forget_specs()  # a new release whose "parallel" is the simple process
    shipped, simple = definitions._shipped, definitions._shipped("simple")
    monkeypatch.setattr(definitions, "_shipped", lambda key: simple if key == "parallel" else shipped(key))
    complete_task(only(running), actor=approver, outcome="approve")
    assert len(open_tasks(running)) == 3  # still the parallel branches it started with
    new = app_factory("parallel")
    start_process(new, actor=approver)
    assert only(new).spec_name == "review"
    complete_task(only(new), actor=approver, outcome="approve")
    assert only(new).decision  # the new release's process: review, then decide
    assert ProcessSpec.objects.count() == 2


def test_a_state_with_its_spec_inline_still_restores_and_is_rewritten_by_reference(app_factory, approver,
                                                                                   parallel_config):
    app = app_factory("parallel")
    instance = start_process(app, actor=approver)
    state = json.loads(instance.state)
    state["spec"] = json.loads(ProcessSpec.objects.get(sha256=state["spec"]["sha256"]).spec)
    ProcessInstance.objects.filter(pk=instance.pk).update(state=json.dumps(state, ensure_ascii=False))
    ProcessSpec.objects.all().delete()
    definitions.forget_specs()
    complete_task(only(app), actor=approver, outcome="approve")
    assert len(open_tasks(app)) == 3
    assert json.loads(ProcessInstance.objects.get(pk=instance.pk).state)["spec"]["key"] == "parallel"
    assert ProcessSpec.objects.count() == 1


def test_a_state_whose_spec_is_gone_is_refused_with_a_message(app_factory, approver):
    app = app_factory("simple")
    instance = start_process(app, actor=approver)
    ProcessSpec.objects.all().delete()
    definitions.forget_specs()
    with pytest.raises(definitions.DefinitionError, match="已不存在"):
        definitions.restore(ProcessInstance.objects.get(pk=instance.pk).state, allow_scripts=False)


def test_starting_twice_or_an_unknown_process_is_refused(app_factory, approver):
    app = app_factory("simple")
    start_process(app, actor=approver)
    with pytest.raises(WorkflowError) as exc:
        start_process(app, actor=approver)
    assert exc.value.status == 409
    with pytest.raises(WorkflowError, match="未知的审批流程"):
        start_process(app_factory("no-such-process"), actor=approver)
    assert ProcessInstance.objects.count() == 1


def test_cancel_closes_open_tasks_and_their_clocks(app_factory, approver, parallel_config):
    app = app_factory("parallel")
    start_process(app, actor=approver)
    complete_task(only(app), actor=approver, outcome="approve")
    instance = cancel_process(app, actor=approver)
    assert instance.status == InstanceStatus.CANCELLED
    assert not open_tasks(app)
    assert WorkTask.objects.filter(application=app, status=TaskStatus.CANCELLED).count() == 3
    assert not TimedCase.objects.filter(case_type="services.review_task").exclude(status=CaseStatus.FINISHED)
    assert cancel_process(app, actor=approver).status == InstanceStatus.CANCELLED  # idempotent
    with pytest.raises(WorkflowError):
        complete_task(WorkTask.objects.filter(application=app).last(), actor=approver, outcome="approve")


def test_cancel_without_a_process_is_a_no_op(app_factory, approver):
    assert cancel_process(app_factory("simple"), actor=approver) is None


def test_a_step_locks_the_application_before_the_process_and_the_clocks(app_factory, approver):
    """The order every application action takes (withdrawal, special steps, supplements), so a
    step and such an action on the same case wait for each other instead of deadlocking."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    app = app_factory("simple")
    start_process(app, actor=approver)
    with CaptureQueriesContext(connection) as queries:
        complete_task(only(app), actor=approver, outcome="approve", comment="同意")
    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    if not connection.features.has_select_for_update:  # SQLite: one writer at a time anyway
        assert not locks
        return
    # one read locks the step's rows, named application first; then the clocks
    assert locks[0].split(" FOR UPDATE OF ")[1] == (
        '"applications_application", "workflow_processinstance", "workflow_worktask"')
    assert any(sql.startswith('UPDATE "timelimits_timedcase"') for sql in locks[1:])


@pytest.mark.django_db(transaction=True)
def test_a_step_waiting_for_the_application_holds_no_other_row_of_the_case(app_factory, approver):
    """PostgreSQL locks in the order ``FOR UPDATE OF`` names the tables: while another
    transaction holds the application's row, the waiting step has not locked the process or
    the task — so that transaction can still take them (it would deadlock otherwise)."""
    import threading

    from django.db import connection, connections, transaction

    from zhengtong.services.applications.models import Application

    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    app = app_factory("simple")
    start_process(app, actor=approver)
    task = only(app)
    started, outcome = threading.Event(), []

    def step() -> None:
        try:
            started.set()
            complete_task(task, actor=approver, outcome="approve", comment="同意")
            outcome.append("done")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcome.append(repr(exc))
        finally:
            connections.close_all()

    with transaction.atomic():
        Application.objects.select_for_update().get(pk=app.pk)
        worker = threading.Thread(target=step)
        worker.start()
        started.wait()
        with connection.cursor() as cursor:  # wait until the step waits for our lock
            for _ in range(200):
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                if cursor.fetchone()[0]:
                    break
                threading.Event().wait(0.05)
            else:
                pytest.fail(f"the step never waited for the application's row: {outcome}")
        # NOWAIT: fails at once if the waiting step had locked these rows already
        ProcessInstance.objects.select_for_update(nowait=True).get(pk=app.process.pk)
        WorkTask.objects.select_for_update(nowait=True).get(pk=task.pk)
    worker.join(timeout=30)
    assert outcome == ["done"]
