"""Workflow API: /api/v1/workflow/… — the caller's approval tasks by tab, one task, claim, complete;
process definitions (list, read, upload, approve) and configurations (list, save, delete)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from pydantic import StrictInt

from zhengtong.core.api.errors import ErrorOut
from zhengtong.core.permissions.checks import require
from zhengtong.services.workflow import definitions, queries
from zhengtong.services.workflow.actions import (
    WorkflowError,
    check_upload_process,
    claim_task,
    complete_task,
    do_approve_process,
    do_delete_process_config,
    do_save_process_config,
)
from zhengtong.services.workflow.registry import APPROVE, COMPLETE, MANAGE

router = Router(tags=["workflow"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class TaskOut(Schema):
    id: int
    application: str
    item: str
    applicant: str
    task: str
    department: str
    role: str
    assignee: str | None
    status: str
    colour: str
    opened_at: datetime
    due_date: date
    outcome: str
    comment: str

    @staticmethod
    def resolve_application(obj) -> str:
        return obj.application.number

    @staticmethod
    def resolve_item(obj) -> str:
        return obj.application.item_version.name

    @staticmethod
    def resolve_applicant(obj) -> str:
        return obj.application.masked_applicant_name

    @staticmethod
    def resolve_task(obj) -> str:
        return obj.label

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.department.code

    @staticmethod
    def resolve_role(obj) -> str:
        return obj.role_code

    @staticmethod
    def resolve_assignee(obj) -> str | None:
        return obj.assignee.username if obj.assignee_id else None

    @staticmethod
    def resolve_colour(obj) -> str:
        return queries.colour(obj)


class CompleteIn(Schema):
    outcome: str
    comment: str = ""


def _error(exc: WorkflowError) -> Status:
    return Status(exc.status, {"code": exc.code, "message": exc.message})


@router.get("/tasks", response=list[TaskOut],
            summary="我的审批任务（待办 pending / 我的 mine / 即将到期 due_soon / 已超期 overdue / 已办 done）")
@paginate(PageNumberPagination)
def tasks(request, tab: str = "pending"):
    require(request.user, COMPLETE)
    if tab not in queries.TABS:
        raise ValidationError(_("未知的分类：%(tab)s") % {"tab": tab})
    return queries.inbox(request.user, tab)


@router.get("/tasks/{task_id}", response={200: TaskOut, **ERRORS}, summary="一个审批任务")
def task(request, task_id: int):
    return queries.access_task_by_id(request.user, task_id)


@router.post("/tasks/{task_id}/claim", response={200: TaskOut, **ERRORS}, summary="认领审批任务")
def claim(request, task_id: int):
    found = queries.access_task_by_id(request.user, task_id)
    try:
        return claim_task(found, actor=request.user)
    except WorkflowError as exc:
        return _error(exc)


@router.post("/tasks/{task_id}/complete", response={200: TaskOut, **ERRORS},
             summary="办理审批任务：approve 同意 / reject 不同意 / return 退回重审（仅决定环节）")
def complete(request, task_id: int, payload: CompleteIn):
    found = queries.access_task_by_id(request.user, task_id)
    try:
        complete_task(found, actor=request.user, outcome=payload.outcome, comment=payload.comment)
    except WorkflowError as exc:
        return _error(exc)
    return queries.access_task_by_id(request.user, task_id)


# --- process definitions and configurations ---------------------------------------------------


class ProcessOut(Schema):
    key: str
    name: str
    source: str  # shipped 内置 / uploaded 上传
    status: str  # shipped 内置 / ready 可用（不含脚本）/ pending 待批准 / approved 已批准
    status_label: str
    runnable: bool
    has_scripts: bool
    slots: int
    items: int
    configs: int
    sha256: str | None
    uploaded_by: str | None
    uploaded_at: datetime | None
    approved_by: str | None
    approved_at: datetime | None
    error: str


class StepOut(Schema):
    id: str
    name: str
    kind: str
    kind_label: str
    lane: str
    role: str
    slot: int | None
    limit_days: int | None
    decision: bool
    next: list[dict[str, Any]]
    scripts: list[dict[str, str]]
    timer: str


class ProcessDetailOut(ProcessOut):
    steps: list[StepOut]
    lanes: list[dict[str, Any]]
    bpmn: str


class ApproveIn(Schema):
    sha256: str  # the SHA-256 of the text the approver read (GET …/definitions/{key})


class BranchIn(Schema):
    department_code: str  # a department code, or "*" for the case's implementing department
    label: str = ""
    limit_days: StrictInt | None = None  # working days, 1–60; default: the process's limit for the slot
    role: str = ""  # default: the process's role for the slot


class ConfigIn(Schema):
    process_key: str
    item_code: str = ""  # empty: the process's default
    branches: list[BranchIn]


class BranchOut(Schema):
    department_code: str
    department: str
    label: str
    limit_days: int
    role: str


class ConfigOut(Schema):
    id: int
    process_key: str
    process_name: str
    item_code: str
    item_name: str | None
    reach: int
    branches: list[BranchOut]
    updated_at: datetime


class ConfigErrorOut(Schema):
    code: str
    message: str
    errors: dict[str, str] = {}


CONFIG_ERRORS = {400: ConfigErrorOut, 403: ConfigErrorOut, 404: ConfigErrorOut, 409: ConfigErrorOut}


def _user(user) -> str | None:
    return user.username if user else None


def process_out(info: queries.ProcessInfo, *, detail: bool = False) -> dict:
    d = info.definition
    out = {"key": info.key, "name": info.name, "source": "shipped" if d is None else "uploaded",
           "status": info.status, "status_label": info.status_label, "runnable": info.runnable,
           "has_scripts": info.has_scripts, "slots": info.slot_count, "items": info.items, "configs": info.configs,
           "sha256": d.sha256 if d else None, "uploaded_by": _user(d.uploaded_by) if d else None,
           "uploaded_at": d.uploaded_at if d else None, "approved_by": _user(d.approved_by) if d else None,
           "approved_at": d.approved_at if d else None, "error": info.error}
    if detail:
        steps = info.description.steps if info.description else ()
        out |= {"bpmn": definitions.source(info.key),
                "lanes": [{"name": lane, "steps": list(names)} for lane, names in
                          (info.description.lanes if info.description else ())],
                "steps": [{"id": s.id, "name": s.name, "kind": s.kind, "kind_label": s.kind_label, "lane": s.lane,
                           "role": s.role, "slot": s.slot, "limit_days": s.limit_days, "decision": s.decision,
                           "next": [{"target": t, "name": n, "condition": c, "default": dflt}
                                    for t, n, c, dflt in s.next],
                           "scripts": [{"where": w, "source": src} for w, src in s.scripts], "timer": s.timer}
                          for s in steps]}
    return out


def config_out(row: dict) -> dict:
    c, item = row["config"], row["item"]
    return {"id": c.pk, "process_key": c.process_key, "process_name": row["process_name"], "item_code": c.item_code,
            "item_name": item.current.name if item and item.current_id else None, "reach": row["reach"],
            "branches": [{"department_code": b.get("department_code", ""), "department": str(b["department"]),
                          "label": b.get("label", ""), "limit_days": b.get("limit_days", 0), "role": b.get("role", "")}
                         for b in row["branches"]], "updated_at": c.updated_at}


def _config_error(exc: WorkflowError) -> Status:
    return Status(exc.status, {"code": exc.code, "message": exc.message, "errors": getattr(exc, "errors", {})})


@router.get("/definitions", response=list[ProcessOut], summary="审批流程定义（内置和上传的）")
def list_definitions(request):
    queries.require_process_reader(request.user)
    return [process_out(p) for p in queries.process_list()]


@router.get("/definitions/{key}", response={200: ProcessDetailOut, **ERRORS},
            summary="一个审批流程：环节、泳道、脚本和 BPMN 原文")
def get_definition(request, key: str):
    return process_out(queries.access_process(request.user, key), detail=True)


@router.post("/definitions", response={201: ProcessDetailOut, **ERRORS},
             summary="上传 BPMN 流程（multipart：file、key、name）；含脚本的须经另一位系统管理员批准")
def upload_definition(request, file: File[UploadedFile], key: Form[str], name: Form[str] = ""):
    require(request.user, MANAGE)
    try:
        if file.size > definitions.MAX_BPMN_BYTES:
            raise definitions.DefinitionError(_("BPMN 文件过大（上限 512 KB）"))
        bpmn = definitions.decode_upload(file.name or "", file.read(definitions.MAX_BPMN_BYTES + 1))
        definition = check_upload_process(key=key, name=name, bpmn=bpmn, actor=request.user)
    except definitions.DefinitionError as exc:
        return Status(400, {"code": "invalid_bpmn", "message": str(exc)})
    except WorkflowError as exc:
        return Status(exc.status, {"code": exc.code, "message": exc.message})
    return Status(201, process_out(queries.access_process(request.user, definition.key), detail=True))


@router.post("/definitions/{key}/approve", response={200: ProcessOut, **ERRORS},
             summary="批准含脚本的上传流程（批准人不能是上传人；须给出所阅读内容的 SHA-256）")
def approve_definition(request, key: str, payload: ApproveIn):
    info = queries.access_process(request.user, key)
    require(request.user, APPROVE)
    if info.definition is None:
        return Status(409, {"code": "conflict", "message": _("内置流程随代码发布，无需批准")})
    try:
        do_approve_process(info.definition, actor=request.user, sha256=payload.sha256)
    except WorkflowError as exc:
        return Status(exc.status, {"code": exc.code, "message": exc.message})
    return Status(200, process_out(queries.access_process(request.user, key)))


@router.get("/configs", response=list[ConfigOut], summary="流程配置（会签环节和并联分支的部门）")
def list_configs(request, process_key: str = ""):
    require(request.user, MANAGE)
    return [config_out(r) for r in queries.config_list(process_key)]


@router.post("/configs", response={200: ConfigOut, **CONFIG_ERRORS},
             summary="保存流程配置（按流程编码和事项编码新建或替换；事项编码为空即默认配置）")
def save_config(request, payload: ConfigIn):
    require(request.user, MANAGE)
    branches = [b.model_dump(exclude_none=True) for b in payload.branches]
    try:
        config = do_save_process_config(process_key=payload.process_key, item_code=payload.item_code,
                                        branches=branches, actor=request.user)
    except WorkflowError as exc:
        return _config_error(exc)
    row = next(r for r in queries.config_list(config.process_key) if r["config"].pk == config.pk)
    return Status(200, config_out(row))


@router.delete("/configs/{config_id}", response={204: None, **CONFIG_ERRORS}, summary="删除流程配置")
def delete_config(request, config_id: int):
    config = queries.access_config_by_id(request.user, config_id)
    try:
        do_delete_process_config(config, actor=request.user)
    except WorkflowError as exc:
        return _config_error(exc)
    return Status(204, None)
