"""Workflow API: /api/v1/workflow/… — the caller's approval tasks by tab, one task, claim, complete."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from zhengtong.core.api.errors import ErrorOut
from zhengtong.core.identifiers import mask_name
from zhengtong.core.permissions.checks import require
from zhengtong.services.workflow import queries
from zhengtong.services.workflow.actions import WorkflowError, claim_task, complete_task
from zhengtong.services.workflow.registry import COMPLETE

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
        return mask_name(obj.application.applicant_name)

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


def _error(exc: WorkflowError):
    return exc.status, {"code": exc.code, "message": exc.message}


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
