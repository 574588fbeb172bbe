"""Workflow writes: start, claim, complete, cancel; refresh timers; upload, approve, configure.

Every step runs in one transaction: lock the ``ProcessInstance`` row, restore the workflow
from its JSON state, complete the SpiffWorkflow task, run the engine to the next user tasks,
project them as ``WorkTask`` rows (each with its own time-limited case), serialise the state
back and bump ``version``. The row lock (and SQLite's BEGIN IMMEDIATE) serialises concurrent
steps on one instance, so no completion is lost and a task completes once.

Rejection: a reviewer's "不同意" is written into the task data's ``rejections`` map; the
gateway after a review (``any_rejected()``) then skips the remaining review steps and goes to
the decision, parallel branches still all complete before the join. At the decision a
rejection allows only 不予许可 (reason: the comments) or 退回重审, which clears the rejections
and loops back to 审查.
"""

from __future__ import annotations

import re
from uuid import UUID

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from zhengtong.core.audit.log import record
from zhengtong.core.db.compiled import CompiledQuery
from zhengtong.core.db.inserts import insert
from zhengtong.core.db.nesting import joinable, joined
from zhengtong.core.db.updates import save_fields
from zhengtong.core.notify.actions import send
from zhengtong.core.permissions.checks import require
from zhengtong.core.timelimits.actions import finish_open_case, open_case
from zhengtong.services.workflow import definitions, queries, routing
from zhengtong.services.workflow.models import (
    InstanceStatus,
    Outcome,
    ProcessConfig,
    ProcessDefinition,
    ProcessInstance,
    TaskStatus,
    WorkTask,
)

CASE_TYPE = "services.review_task"
SPECIAL_STEP = "special_step"  # applications.Status.SPECIAL_STEP (the engine does not import the app's models)
SKIPPED = "skip"


class WorkflowError(Exception):
    """A refused workflow step. ``status`` is the HTTP status the API answers with."""

    def __init__(self, message: str, *, status: int = 400, code: str = "invalid"):
        super().__init__(message)
        self.message, self.status, self.code = message, status, code


def _conflict(message: str) -> WorkflowError:
    return WorkflowError(message, status=409, code="conflict")


# --- projection of ready user tasks ------------------------------------------------------


def _ready(workflow: BpmnWorkflow) -> list:
    return workflow.get_tasks(state=TaskState.READY, manual=True)


def _open_task(instance: ProcessInstance, spiff_task, rt: routing.Route, actor) -> WorkTask:
    app = instance.application
    version = app.item_version
    today = timezone.localdate()
    [task] = insert([WorkTask(instance=instance, application=app, spiff_id=str(spiff_task.id),
                              spec_name=spiff_task.task_spec.name, label=rt.label, decision=rt.decision,
                              department=rt.department, role_code=rt.role_code, due_date=today)])
    case = open_case(case_type=CASE_TYPE, object_type="workflow.worktask", object_id=str(task.pk),
                     title=f"{app.number} {rt.label}", department=rt.department, started_on=today,
                     limit_days=rt.limit_days, actor=actor, subject_code=version.item.code,
                     subject_name=version.name, party=app.applicant)
    if app.status == SPECIAL_STEP:  # the case is in a hearing, inspection…: this clock waits too
        from zhengtong.services.applications.special_steps import hold_new_clock

        hold_new_clock(app, case, actor=actor)
        case.refresh_from_db()
    task.timed_case, task.due_date = case, case.due_date
    save_fields(task, ["timed_case", "due_date"])
    record("workflow.task.opened", actor=actor, obj=task,
           after={"application": app.number, "task": rt.label, "department": rt.department.code,
                  "role": rt.role_code, "due_date": case.due_date})
    _notify_assignees(task, actor)
    return task


def _notify_assignees(task: WorkTask, actor) -> None:
    """A new task reaches the inbox of everyone who may take it; e-mail and SMS are kept for
    the warnings (yellow / red) so that a department's approvers are not messaged per task."""
    users = queries.eligible_user_ids(task.department, task.role_code)
    if not users:
        return
    app = task.application
    send(users, subject=_("新的审批任务：%(number)s %(task)s") % {"number": app.number, "task": task.label},
         body=_("办件 %(number)s（%(item)s）待您办理“%(task)s”，请于 %(due)s 前办结。")
         % {"number": app.number, "item": app.item_version.name, "task": task.label, "due": task.due_date},
         channels=("inbox",), link=reverse("workflow_console:task", args=[task.pk]), obj=task, actor=actor)


def _advance(instance: ProcessInstance, workflow: BpmnWorkflow, actor, *, ready_before: set[str] | None = None) -> None:
    """Run the engine and project every new ready user task; skip unconfigured slots.

    ``ready_before``: ids of the tasks ready when the step began (None for a new instance).
    Those are projected already — a task is projected in the transaction that makes it ready —
    so the projected ids are read only when a task not ready before turns up, and the branch
    configuration only when such a task has a slot."""
    app = instance.application
    branches: list[dict] | None = None
    known: set[str] | None = set() if ready_before is None else None
    progressed = True
    while progressed:
        progressed = False
        workflow.do_engine_steps()
        for spiff_task in _ready(workflow):
            spiff_id = str(spiff_task.id)
            if ready_before and spiff_id in ready_before:
                continue
            if known is None:
                known = {spiff_id for (spiff_id,) in _SPIFF_IDS.all(instance.pk)}
            if spiff_id in known:
                continue
            if branches is None and routing.uses_slot(spiff_task.task_spec):
                branches = routing.branches_for(instance.process_key, app.item_version.item.code)
            rt = routing.route(spiff_task.task_spec, application=app, branches=branches or [])
            if rt is None:  # a slot with no configured department: nothing to do there
                spiff_task.data[f"outcome_{spiff_task.task_spec.name}"] = SKIPPED
                spiff_task.run()
                progressed = True
                break
            _open_task(instance, spiff_task, rt, actor)
            known.add(spiff_id)


_SPIFF_IDS = CompiledQuery(lambda instance_id: WorkTask.objects.filter(instance=instance_id).order_by()
                           .values_list("spiff_id"))
_STARTED = CompiledQuery(lambda application_id: ProcessInstance.objects.filter(application=application_id)
                         .order_by().values_list("pk")[:1])


def _save(instance: ProcessInstance, workflow: BpmnWorkflow, fields: list[str] | None = None) -> None:
    instance.state = definitions.dump(workflow)
    instance.version += 1
    save_fields(instance, ["state", "version", *(fields or [])])


def _event(app, actor, action: str, note: str = "", public: bool = True) -> None:
    from zhengtong.services.applications.models import ApplicationEvent

    insert([ApplicationEvent(application=app, actor=actor, action=action[:60], from_status=app.status,
                             to_status=app.status, note=note, public=public)])


# --- start and cancel ---------------------------------------------------------------------


@joinable
def start_process(application, *, actor) -> ProcessInstance:
    """Start the approval process named by the application's item version (called on acceptance)."""
    if _STARTED.all(application.pk):
        raise _conflict(_("办件 %(number)s 的审批流程已经启动") % {"number": application.number})
    key = application.item_version.process_key
    try:
        workflow, allow_scripts = definitions.new_workflow(key, {"application": application.number,
                                                                 "rejections": {}})
    except definitions.DefinitionError as exc:
        raise WorkflowError(str(exc)) from None
    [instance] = insert([ProcessInstance(application=application, process_key=key, state={},
                                         allow_scripts=allow_scripts)])
    try:
        _advance(instance, workflow, actor)
    except (routing.RoutingError, SpiffWorkflowException) as exc:
        raise WorkflowError(_("审批流程无法启动：%(error)s") % {"error": exc}) from None
    _save(instance, workflow)
    record("workflow.process.started", actor=actor, obj=instance,
           after={"application": application.number, "process": key})
    return instance


def _close_open_tasks(instance: ProcessInstance, actor) -> list[str]:
    closed = []
    today = timezone.localdate()
    for task in instance.tasks.filter(status=TaskStatus.OPEN):
        task.status = TaskStatus.CANCELLED
        save_fields(task, ["status"])
        if task.timed_case_id:
            finish_open_case(task.timed_case_id, actor=actor, today=today)
        closed.append(task.label)
    return closed


@transaction.atomic
def cancel_process(application, *, actor) -> ProcessInstance | None:
    """Stop the application's process (on withdrawal); idempotent, None when none was started."""
    instance = ProcessInstance.objects.select_for_update().filter(application=application).first()
    if instance is None or instance.status != InstanceStatus.RUNNING:
        return instance
    workflow = definitions.restore(instance.state, allow_scripts=instance.allow_scripts)
    workflow.cancel()
    closed = _close_open_tasks(instance, actor)
    instance.status, instance.finished_at = InstanceStatus.CANCELLED, timezone.now()
    _save(instance, workflow, ["status", "finished_at"])
    record("workflow.process.cancelled", actor=actor, obj=instance,
           before={"status": InstanceStatus.RUNNING}, after={"status": instance.status, "tasks_cancelled": closed})
    return instance


# --- claim and complete -------------------------------------------------------------------


@transaction.atomic
def claim_task(task: WorkTask, *, actor) -> WorkTask:
    """Take an open task so others in the department see it is being handled."""
    queries.require_eligible(actor, task)
    if task.assignee_id == actor.pk and task.status == TaskStatus.OPEN:
        return task
    claimed = WorkTask.objects.filter(pk=task.pk, status=TaskStatus.OPEN, assignee__isnull=True).update(assignee=actor)
    if not claimed:
        raise _conflict(_("该任务已被他人认领或已办理"))
    task.refresh_from_db()
    record("workflow.task.claimed", actor=actor, obj=task, before={"assignee": None}, after={"assignee": actor.pk})
    return task


def _check_outcome(task: WorkTask, outcome: str, comment: str, rejections: dict) -> None:
    if outcome not in Outcome.values:
        raise WorkflowError(_("未知的办理意见：%(outcome)s") % {"outcome": outcome or "—"})
    if outcome == Outcome.RETURN and not task.decision:
        raise WorkflowError(_("只有决定环节可以退回重审"))
    reasons_given = comment or (task.decision and outcome == Outcome.REJECT and rejections)
    if outcome in (Outcome.REJECT, Outcome.RETURN) and not reasons_given:
        raise WorkflowError(_("请填写不同意或退回的理由"))
    if task.decision and outcome == Outcome.APPROVE and rejections:
        raise WorkflowError(_("审查环节有不同意意见，只能作出不予许可决定或退回重审"))


# A step's locked read, compiled once (``core.db.compiled``): the task with its process and
# application (and what a step reads of them), one statement. The application's row is locked
# first, as every application action does (withdrawal, special steps, supplements lock it,
# then the process and the clocks): one lock order, so a step and such an action on the same
# case wait for each other instead of deadlocking. PostgreSQL locks a row's tables in the
# order ``FOR UPDATE OF`` names them (a test holds the application's row and checks that the
# waiting step has locked nothing else yet).
_LOCK_STEP = CompiledQuery(lambda pk: WorkTask.objects.select_for_update(
    of=("instance__application", "instance", "self")).select_related(
    "department", "instance__application__item_version__item", "instance__application__department__region",
    "instance__application__applicant").filter(pk=pk))


def _locked(task: WorkTask) -> tuple[ProcessInstance, WorkTask]:
    task = _LOCK_STEP.get(task.pk)
    instance = task.instance
    task.application = instance.application
    if task.status != TaskStatus.OPEN or instance.status != InstanceStatus.RUNNING:
        raise _conflict(_("该任务已办理或流程已结束"))
    return instance, task


def _spiff_task(workflow: BpmnWorkflow, task: WorkTask):
    try:
        spiff_task = workflow.get_task_from_id(UUID(task.spiff_id))
    except (SpiffWorkflowException, ValueError):
        spiff_task = None
    if spiff_task is None or spiff_task.state != TaskState.READY:
        raise _conflict(_("该任务已不在待办状态"))
    return spiff_task


@transaction.atomic
def complete_task(task: WorkTask, *, actor, outcome: str, comment: str = "") -> WorkTask:
    """Record the actor's opinion on a task and move the process on; the decision calls do_decide."""
    comment = (comment or "").strip()[:2000]
    instance, task = _locked(task)
    queries.require_eligible(actor, task)
    if task.assignee_id and task.assignee_id != actor.pk:
        raise _conflict(_("该任务已由 %(name)s 认领") % {"name": task.assignee.display_name})
    workflow = definitions.restore(instance.state, allow_scripts=instance.allow_scripts)
    spiff_task = _spiff_task(workflow, task)
    ready_before = {str(t.id) for t in _ready(workflow)}
    rejections = dict(spiff_task.data.get("rejections") or {})
    _check_outcome(task, outcome, comment, rejections)
    spiff_task.data[f"outcome_{task.spec_name}"] = outcome
    if outcome == Outcome.REJECT and not task.decision:
        rejections[task.spec_name] = f"{task.label}（{task.department.name}）：{comment}"
    if outcome == Outcome.RETURN:
        rejections = {}
    spiff_task.data["rejections"] = rejections
    spiff_task.run()
    _finish_task(task, actor, outcome, comment)
    try:
        _advance(instance, workflow, actor, ready_before=ready_before)
    except (routing.RoutingError, SpiffWorkflowException) as exc:
        raise WorkflowError(_("审批流程无法继续：%(error)s") % {"error": exc}) from None
    fields: list[str] = []
    if workflow.is_completed():
        instance.status, instance.finished_at = InstanceStatus.COMPLETED, timezone.now()
        fields = ["status", "finished_at"]
    _save(instance, workflow, fields)
    if task.decision and outcome != Outcome.RETURN:
        _decide(instance, task, actor, outcome, comment, rejections)
    return task


def _finish_task(task: WorkTask, actor, outcome: str, comment: str) -> None:
    task.status, task.outcome, task.comment = TaskStatus.DONE, outcome, comment
    task.completed_by, task.completed_at = actor, timezone.now()
    task.assignee = task.assignee or actor
    save_fields(task, ["status", "outcome", "comment", "completed_by", "completed_at", "assignee"])
    if task.timed_case_id:
        finish_open_case(task.timed_case_id, actor=actor)
    record("workflow.task.completed", actor=actor, obj=task, before={"status": TaskStatus.OPEN},
           after={"status": task.status, "outcome": outcome, "comment": comment[:500],
                  "application": task.application.number})
    _event(task.application, actor, f"{task.label}：{Outcome(outcome).label}", note=comment, public=False)


def _decide(instance, task: WorkTask, actor, outcome: str, comment: str, rejections: dict) -> None:
    from zhengtong.services.applications import actions as application_actions

    granted = outcome == Outcome.APPROVE and not rejections
    reason = comment if granted else "；".join(p for p in [comment, *rejections.values()] if p)
    record("workflow.process.decided", actor=actor, obj=instance,
           after={"application": instance.application.number, "granted": granted, "reason": reason[:500]})
    from zhengtong.services.applications.errors import ApplicationError

    try:
        joined(application_actions.do_decide, instance.application, granted=granted, reason=reason, actor=actor)
    except ApplicationError as exc:  # e.g. the case is waiting for a supplement: 409, not a crash
        raise WorkflowError(exc.message, status=exc.status, code=exc.code or "conflict") from exc


# --- timers -----------------------------------------------------------------------------------


def refresh_timers() -> int:
    """Fire due timer events of running instances whose process has timers; returns steps taken.

    Run from the periodic job schedule (SpiffWorkflow only fires timers when asked)."""
    keys = [k for k in ProcessInstance.objects.filter(status=InstanceStatus.RUNNING)
            .values_list("process_key", flat=True).distinct() if _has_timers(k)]
    moved = 0
    ids = ProcessInstance.objects.filter(status=InstanceStatus.RUNNING, process_key__in=keys).values_list("pk",
                                                                                                           flat=True)
    for pk in list(ids):
        moved += _refresh_one(pk)
    return moved


def _has_timers(key: str) -> bool:
    try:
        return definitions.load(key)[0].has_timers
    except definitions.DefinitionError:
        return False


@transaction.atomic
def _refresh_one(pk: int) -> int:
    instance = ProcessInstance.objects.select_for_update(of=("self",)).select_related("application__item_version__item").get(
        pk=pk)
    if instance.status != InstanceStatus.RUNNING:
        return 0
    workflow = definitions.restore(instance.state, allow_scripts=instance.allow_scripts)
    before = {str(t.id) for t in _ready(workflow)}
    workflow.refresh_waiting_tasks()
    _advance(instance, workflow, None, ready_before=before)
    if {str(t.id) for t in _ready(workflow)} == before and not workflow.is_completed():
        return 0
    fields = []
    if workflow.is_completed():
        instance.status, instance.finished_at = InstanceStatus.COMPLETED, timezone.now()
        fields = ["status", "finished_at"]
    _save(instance, workflow, fields)
    record("workflow.timers.fired", obj=instance, after={"application": instance.application.number})
    return 1


# --- definitions and configuration -----------------------------------------------------------
#
# Approval is the security gate of an uploaded process: its scripts run as Python (in the
# sandbox, but still code). ``do_approve_process`` therefore lets a process run only when
#   1. the approver holds ``workflow.process.approve`` and is not the person who uploaded it;
#   2. the process has scripts (one without scripts runs at once) and is not yet approved;
#   3. its text still hashes to the SHA-256 taken at upload and, when the approver names one,
#      to the SHA-256 of the text the approver read;
#   4. it passes the upload checks as they stand today (elements, expressions, scripts, roles).
# ``definitions.load`` checks the SHA-256 again before every run.

KEY_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,59}$")


class ConfigInvalid(WorkflowError):
    """A refused process configuration; ``errors`` keys every problem (``branches.0.limit_days``)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("；".join(errors.values()))
        self.errors = errors


def _inspect(key: str, bpmn: str) -> tuple[definitions.Loaded, str]:
    try:
        loaded, sha, description = definitions.inspect_upload(key, bpmn)
    except definitions.DefinitionError as exc:
        raise WorkflowError(str(exc), code="invalid_bpmn") from None
    unknown = sorted({s.role for s in description.steps if s.is_human} - set(routing.task_roles()))
    if unknown:
        raise WorkflowError(_("流程中的办理角色不存在或不能办理审批任务：%(roles)s") % {"roles": "、".join(unknown)},
                            code="invalid_bpmn")
    return loaded, sha


@transaction.atomic
def check_upload_process(*, key: str, name: str, bpmn: str, actor) -> ProcessDefinition:
    """Store an uploaded BPMN process; one with scripts waits for another system administrator's approval."""
    require(actor, "workflow.process.manage")
    key = (key or "").strip()
    if not key or key in definitions.SHIPPED_KEYS:
        raise WorkflowError(_("流程编码不能为空，也不能与内置流程（%(keys)s）相同")
                            % {"keys": "、".join(definitions.SHIPPED_KEYS)})
    if not KEY_PATTERN.match(key):
        raise WorkflowError(_("流程编码须以字母开头，只含字母、数字、横线或下划线，不超过 60 个字符"))
    if ProcessDefinition.objects.filter(key=key).exists():
        raise _conflict(_("流程编码 %(key)s 已存在") % {"key": key})
    loaded, sha = _inspect(key, bpmn)
    label = ((name or "").strip() or loaded.name)[:100]
    try:
        with transaction.atomic():
            definition = ProcessDefinition.objects.create(key=key, name=label, bpmn=bpmn, sha256=sha,
                                                          has_scripts=loaded.has_scripts, uploaded_by=actor)
    except IntegrityError:
        raise _conflict(_("流程编码 %(key)s 已存在") % {"key": key}) from None
    record("workflow.process.uploaded", actor=actor, obj=definition,
           after={"key": key, "name": label, "sha256": sha, "has_scripts": loaded.has_scripts})
    if definition.runnable:
        transaction.on_commit(lambda: _offer_key(key, label))
    return definition


@transaction.atomic
def do_approve_process(definition: ProcessDefinition, *, actor, sha256: str | None = None) -> ProcessDefinition:
    """Let an uploaded process with scripts run; the rule is written above."""
    require(actor, "workflow.process.approve")
    definition = ProcessDefinition.objects.select_for_update().get(pk=definition.pk)
    if definition.uploaded_by_id == actor.pk:
        raise WorkflowError(_("上传人不能批准自己上传的流程"), status=403, code="forbidden")
    if definition.approved_at is not None:
        raise _conflict(_("该流程已经批准"))
    if not definition.has_scripts:
        raise _conflict(_("该流程不含脚本，上传后即可使用，无需批准"))
    if sha256 is not None and sha256.strip().lower() != definition.sha256:
        raise _conflict(_("流程内容与您查看的版本不一致，请重新查看后再批准"))
    if definitions.sha256_of(definition.bpmn) != definition.sha256:
        raise _conflict(_("流程内容与上传时的摘要不一致，不能批准"))
    _inspect(definition.key, definition.bpmn)
    definition.approved_by, definition.approved_at = actor, timezone.now()
    definition.save(update_fields=["approved_by", "approved_at"])
    record("workflow.process.approved", actor=actor, obj=definition,
           before={"approved_at": None}, after={"sha256": definition.sha256, "uploaded_by": definition.uploaded_by_id})
    key, label = definition.key, definition.name
    transaction.on_commit(lambda: _offer_key(key, label))
    return definition


def _offer_key(key: str, name: str = "") -> None:
    try:
        from zhengtong.services.catalog.registry import PROCESS_KEYS, PROCESS_LABELS
    except ImportError:  # pragma: no cover — the catalog is optional for the engine
        return
    PROCESS_KEYS.add(key)
    if name:
        PROCESS_LABELS.setdefault(key, name)


def _configurable(process_key: str) -> definitions.Description:
    try:
        definitions.load(process_key)
        description = definitions.description_of(process_key)
    except definitions.DefinitionError as exc:
        raise ConfigInvalid({"process_key": str(exc)}) from None
    if not description.slot_count:
        raise ConfigInvalid({"process_key": _("流程 %(key)s 没有可配置的会签或并联环节") % {"key": process_key}})
    return description


def _config_item(process_key: str, item_code: str):
    from zhengtong.services.catalog.models import ServiceItem, VersionStatus

    item = ServiceItem.objects.select_related("department", "current").filter(code=item_code).first()
    if item is None:
        raise ConfigInvalid({"item_code": _("事项 %(code)s 不存在") % {"code": item_code}})
    if not item.versions.exclude(status=VersionStatus.RETIRED).filter(process_key=process_key).exists():
        current = item.current.process_key if item.current_id else "—"
        raise ConfigInvalid({"item_code": _("事项 %(code)s 没有使用流程 %(key)s（现行版本使用 %(current)s）")
                             % {"code": item_code, "key": process_key, "current": current}})
    return item


def _statutory_errors(process_key: str, item_code: str, branches: list[dict]) -> dict[str, str]:
    """A branch may not take longer than the statutory limit of an item the row applies to."""
    from zhengtong.services.catalog.models import ItemVersion, VersionStatus

    versions = ItemVersion.objects.exclude(status=VersionStatus.RETIRED).filter(process_key=process_key)
    if item_code:
        versions = versions.filter(item__code=item_code)
    else:  # the default reaches the items without their own row
        own = ProcessConfig.objects.filter(process_key=process_key).exclude(item_code="").values("item_code")
        versions = versions.exclude(item__code__in=own)
    tightest = versions.select_related("item").order_by("statutory_days", "item__code").first()
    if tightest is None:
        return {}
    return {f"branches.{i}.limit_days": _("第 %(n)s 个分支的时限 %(limit)s 个工作日超过了事项 %(code)s（%(name)s）"
                                          "的法定办结时限 %(days)s 个工作日")
            % {"n": i + 1, "limit": b["limit_days"], "code": tightest.item.code, "name": tightest.name,
               "days": tightest.statutory_days}
            for i, b in enumerate(branches) if b["limit_days"] > tightest.statutory_days}


@transaction.atomic
def do_save_process_config(*, process_key: str, item_code: str = "", branches, actor,
                           create: bool = False) -> ProcessConfig:
    """Set which departments a process's countersign steps or parallel branches go to.

    ``create``: refuse (409) when the process already has a row for that item code."""
    require(actor, "workflow.process.manage")
    process_key, item_code = (process_key or "").strip(), (item_code or "").strip()
    description = _configurable(process_key)
    item = _config_item(process_key, item_code) if item_code else None
    defaults = [{"role": steps[0].role, "limit_days": steps[0].limit_days} for _n, steps in description.slots]
    clean, errors = routing.check_branches(branches, defaults=defaults,
                                           own_department=item.department.code if item else "")
    if not errors:
        errors = _statutory_errors(process_key, item_code, clean)
    if errors:
        raise ConfigInvalid(errors)
    config = ProcessConfig.objects.select_for_update().filter(process_key=process_key, item_code=item_code).first()
    if config is not None and create:
        raise _conflict(_("流程 %(key)s 已有%(which)s配置，请编辑原配置")
                        % {"key": process_key, "which": item_code or _("默认")})
    before = {"branches": config.branches} if config else None
    config = config or ProcessConfig(process_key=process_key, item_code=item_code)
    config.branches = clean
    try:
        with transaction.atomic():
            config.save()
    except IntegrityError:
        raise _conflict(_("流程配置已被他人同时创建，请刷新后编辑")) from None
    record("workflow.config.saved", actor=actor, obj=config, before=before,
           after={"process_key": process_key, "item_code": item_code, "branches": clean})
    return config


@transaction.atomic
def do_delete_process_config(config: ProcessConfig, *, actor) -> None:
    """Remove a configuration; the slots it filled are skipped in steps not yet opened."""
    require(actor, "workflow.process.manage")
    config = ProcessConfig.objects.select_for_update().filter(pk=config.pk).first()
    if config is None:
        raise WorkflowError(_("流程配置不存在或已删除"), status=404, code="not_found")
    record("workflow.config.deleted", actor=actor, obj=config,
           before={"process_key": config.process_key, "item_code": config.item_code, "branches": config.branches})
    config.delete()
