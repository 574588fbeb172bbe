"""The applications API (/api/v1/applications/): the same actions as the web pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja import Status as Answer

from zhengtong.core.permissions.checks import require
from zhengtong.services.applications import actions, queries
from zhengtong.services.applications.errors import ApplicationError
from zhengtong.services.applications.models import Application, Channel, SpecialStep, Status
from zhengtong.services.applications.registry import INTAKE
from zhengtong.services.applications.special_steps import listed_steps
from zhengtong.services.applications.submit import Submission
from zhengtong.services.applications.supplements import compute_supplement_items
from zhengtong.services.catalog.models import Bundle, ServiceItem

router = Router(tags=["applications"])


class ErrOut(Schema):
    code: str
    message: str
    errors: dict[str, str] = {}


class CaseOut(Schema):
    number: str
    item_code: str
    item_name: str
    department: str
    status: str
    status_label: str
    channel: str
    submitted_at: datetime | None
    due_date: date | None
    clock_status: str | None
    bundle_number: str | None
    licence_status: str | None = None  # valid | revoked; None without an e-licence


class IntakeOut(CaseOut):
    accepted: bool  # accepted on the spot (every material there, and the clerk may accept)


class EventOut(Schema):
    at: datetime
    action: str
    from_status: str
    to_status: str
    note: str


class MaterialOut(Schema):
    name: str
    status: str
    attachment_id: int | None


class SupplementOut(Schema):
    sequence: int
    status: str
    items: list[dict[str, Any]]
    note: str


class PendingSupplementOut(SupplementOut):
    id: int  # for …/staff/supplements/{id}/approve
    case_number: str
    item_name: str
    requested_by: str
    requested_at: datetime


class SpecialStepOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    max_days: int | None
    basis: str
    started_on: date
    planned_end_on: date | None
    ended_on: date | None
    overrun_days: int
    note: str


class StepOptionOut(Schema):
    kind: str
    kind_label: str
    name: str
    max_days: int
    basis: str


class CaseDetailOut(CaseOut):
    form_data: dict[str, Any]
    delivery: str
    delivery_address: str
    refusal_reason: str
    decision_reason: str
    timeline: list[EventOut]
    materials: list[MaterialOut]
    supplements: list[SupplementOut]


class StaffCaseDetailOut(CaseDetailOut):
    special_steps: list[SpecialStepOut]
    special_step_options: list[StepOptionOut]


class SubmitIn(Schema):
    item_code: str
    data: dict[str, Any]
    materials: dict[str, int] = {}  # catalog material id → attachment id from /api/v1/files/
    delivery: str = "download"
    delivery_address: str = ""


class IntakeIn(SubmitIn):  # materials: attachments the clerk uploaded (the scans)
    applicant: str  # the walk-in applicant's 公民身份号码 or 统一社会信用代码 (a real-name user)


class BundleSubmitIn(Schema):
    bundle_code: str
    data: dict[str, Any]
    materials: dict[str, int] = {}
    delivery: str = "download"
    delivery_address: str = ""


class BundleOut(Schema):
    number: str
    status: str
    members: list[CaseOut]


class ReasonIn(Schema):
    reason: str = ""


class DeliveryIn(Schema):
    delivery: str
    delivery_address: str = ""


class AnswerIn(Schema):
    materials: dict[str, int] = {}
    note: str = ""


class SupplementIn(Schema):
    defective: list[int] = []
    notes: dict[str, str] = {}
    note: str = ""


class ApproveIn(Schema):
    approve: bool


class SpecialStepIn(Schema):
    kind: str
    name: str = ""  # the guide's step, when it lists two of the same kind
    note: str = ""


class EndStepIn(Schema):
    note: str = ""


ERRORS = {400: ErrOut, 403: ErrOut, 404: ErrOut, 409: ErrOut}


def _err(exc: ApplicationError) -> Answer:
    return Answer(exc.status, {"code": exc.code, "message": exc.message, "errors": exc.errors})


def _licence_status(app: Application) -> str | None:
    try:
        return app.license.status
    except ObjectDoesNotExist:
        return None


def case_out(app: Application) -> dict:
    clock = app.processing_case or app.acceptance_case
    return {"number": app.number, "item_code": app.item_version.item.code, "item_name": app.item_version.name,
            "department": app.department.name, "status": app.status, "status_label": app.get_status_display(),
            "channel": app.channel, "submitted_at": app.submitted_at,
            "due_date": clock.due_date if clock else None, "clock_status": clock.status if clock else None,
            "bundle_number": app.bundle_application.number if app.bundle_application_id else None,
            "licence_status": _licence_status(app) if app.status == Status.GRANTED else None}


def step_out(step: SpecialStep) -> dict:
    return {"id": step.pk, "kind": step.kind, "kind_label": step.get_kind_display(), "name": step.name,
            "max_days": step.max_days, "basis": step.basis, "started_on": step.started_on,
            "planned_end_on": step.planned_end_on, "ended_on": step.ended_on, "overrun_days": step.overrun,
            "note": step.note}


def staff_detail_out(app: Application) -> dict:
    options = [{"kind": o.kind, "kind_label": o.kind_label, "name": o.name, "max_days": o.max_days,
                "basis": o.basis} for o in listed_steps(app.item_version)]
    return {**detail_out(app, internal=True), "special_steps": [step_out(s) for s in app.special_steps.all()],
            "special_step_options": options}


def detail_out(app: Application, *, internal: bool = False) -> dict:
    events = app.events.all() if internal else app.events.filter(public=True)
    return {**case_out(app), "form_data": app.form_data, "delivery": app.delivery,
            "delivery_address": app.delivery_address, "refusal_reason": app.refusal_reason,
            "decision_reason": app.decision_reason,
            "timeline": [{"at": e.at, "action": e.action, "from_status": e.from_status, "to_status": e.to_status,
                          "note": e.note} for e in events],
            "materials": [{"name": m.name, "status": m.status, "attachment_id": m.attachment_id}
                          for m in app.materials.all()],
            "supplements": [{"sequence": s.sequence, "status": s.status, "items": s.items, "note": s.note}
                            for s in app.supplements.all()]}


def _slot_keys(materials: dict[str, int]) -> dict[str, int]:
    return {f"m{k}" if not str(k).startswith("m") else str(k): v for k, v in materials.items()}


# ---------------------------------------------------------------- applicants

@router.get("/mine", response=list[CaseOut], summary="我的办件")
def mine(request: HttpRequest):
    return [case_out(a) for a in queries.my_applications(request.user)[:200]]


@router.get("/cases/{number}", response={200: CaseDetailOut, **ERRORS}, summary="办件详情与办理过程")
def case_detail(request: HttpRequest, number: str):
    return detail_out(queries.access_own_application(request.user, number))


@router.post("/submit", response={201: CaseOut, **ERRORS}, summary="网上申报")
def submit(request: HttpRequest, payload: SubmitIn):
    item = ServiceItem.objects.select_related("current__item").filter(code=payload.item_code).first()
    sub = Submission(applicant=request.user, data=payload.data, delivery=payload.delivery,
                     delivery_address=payload.delivery_address, attachment_ids=_slot_keys(payload.materials),
                     channel=Channel.ONLINE)
    try:
        app = actions.check_submit_application(item.current if item else None, sub, actor=request.user)
    except ApplicationError as exc:
        return _err(exc)
    return Answer(201, case_out(queries.access_own_application(request.user, app.number)))


@router.post("/bundles/submit", response={201: BundleOut, **ERRORS}, summary="一件事一次办申报")
def submit_bundle(request: HttpRequest, payload: BundleSubmitIn):
    bundle = Bundle.objects.select_related("lead_department__region").filter(code=payload.bundle_code).first()
    if bundle is None:
        raise Http404(_("该“一件事”不存在"))
    sub = Submission(applicant=request.user, data=payload.data, delivery=payload.delivery,
                     delivery_address=payload.delivery_address, attachment_ids=_slot_keys(payload.materials))
    try:
        result = actions.check_submit_bundle(bundle, sub, actor=request.user)
    except ApplicationError as exc:
        return _err(exc)
    members = queries.my_applications(request.user).filter(bundle_application=result)
    return Answer(201, {"number": result.number, "status": result.status,
                        "members": [case_out(a) for a in members]})


@router.post("/cases/{number}/withdraw", response={200: CaseOut, **ERRORS}, summary="撤回申请")
def withdraw(request: HttpRequest, number: str, payload: ReasonIn):
    app = queries.access_own_application(request.user, number)
    try:
        app = actions.do_withdraw(app, actor=request.user, reason=payload.reason)
    except ApplicationError as exc:
        return _err(exc)
    return case_out(app)


@router.post("/cases/{number}/delivery", response={200: CaseOut, **ERRORS}, summary="修改结果送达方式")
def change_delivery(request: HttpRequest, number: str, payload: DeliveryIn):
    app = queries.access_own_application(request.user, number)
    try:
        app = actions.do_change_delivery(app, delivery=payload.delivery, address=payload.delivery_address,
                                         actor=request.user)
    except ApplicationError as exc:
        return _err(exc)
    return case_out(queries.access_own_application(request.user, number))


@router.post("/cases/{number}/supplements/{sequence}/answer", response={200: CaseOut, **ERRORS},
             summary="提交补正材料")
def answer_supplement(request: HttpRequest, number: str, sequence: int, payload: AnswerIn):
    app = queries.access_own_application(request.user, number)
    sr = app.supplements.filter(sequence=sequence).first()
    if sr is None:
        raise Http404(_("补正告知不存在"))
    try:
        actions.do_answer_supplement(sr, attachment_ids=_slot_keys(payload.materials), note=payload.note,
                                     actor=request.user)
    except ApplicationError as exc:
        return _err(exc)
    return case_out(queries.access_own_application(request.user, number))


# ---------------------------------------------------------------- staff

@router.get("/staff/inbox", response={200: list[CaseOut], **ERRORS}, summary="受理待办（工作人员）")
def staff_inbox(request: HttpRequest, tab: str = "pending"):
    return [case_out(a) for a in queries.acceptance_inbox(request.user, tab)[:200]]


@router.get("/staff/cases/{number}", response={200: StaffCaseDetailOut, **ERRORS}, summary="办件详情（工作人员）")
def staff_case(request: HttpRequest, number: str):
    return staff_detail_out(queries.access_staff_application(request.user, number=number))


@router.post("/staff/intake", response={201: IntakeOut, **ERRORS}, summary="窗口收件（一窗受理）")
def intake(request: HttpRequest, payload: IntakeIn):
    require(request.user, INTAKE)
    applicant = queries.applicant_by_identifier(payload.applicant)
    if applicant is None:
        return Answer(404, {"code": "no_applicant", "errors": {"applicant": _("请申请人先完成实名注册")},
                            "message": _("未找到证件号码为 %(who)s 的实名用户，请申请人先完成实名注册")
                            % {"who": payload.applicant}})
    item = ServiceItem.objects.select_related("current__item").filter(code=payload.item_code).first()
    sub = Submission(applicant=applicant, data=payload.data, delivery=payload.delivery,
                     delivery_address=payload.delivery_address, attachment_ids=_slot_keys(payload.materials))
    try:
        app, accepted = actions.check_window_intake(item.current if item else None, sub, actor=request.user)
    except ApplicationError as exc:
        return _err(exc)
    return Answer(201, {**case_out(app), "accepted": accepted})


@router.post("/staff/cases/{number}/accept", response={200: CaseOut, **ERRORS}, summary="受理")
def accept(request: HttpRequest, number: str):
    app = queries.access_staff_application(request.user, number=number)
    try:
        app = actions.do_accept(app, actor=request.user)
    except ApplicationError as exc:
        return _err(exc)
    return case_out(app)


@router.post("/staff/cases/{number}/refuse", response={200: CaseOut, **ERRORS}, summary="不予受理")
def refuse(request: HttpRequest, number: str, payload: ReasonIn):
    app = queries.access_staff_application(request.user, number=number)
    try:
        app = actions.do_refuse(app, reason=payload.reason, actor=request.user)
    except ApplicationError as exc:
        return _err(exc)
    return case_out(app)


@router.post("/staff/cases/{number}/supplement", response={201: SupplementOut, **ERRORS}, summary="一次性告知补正")
def request_supplement(request: HttpRequest, number: str, payload: SupplementIn):
    app = queries.access_staff_application(request.user, number=number)
    notes = {int(k): v for k, v in payload.notes.items() if str(k).isdigit()}
    items = compute_supplement_items(app, defective=payload.defective, notes=notes)
    try:
        sr = actions.do_request_supplement(app, items=items, note=payload.note, actor=request.user)
    except ApplicationError as exc:
        return _err(exc)
    return Answer(201, {"sequence": sr.sequence, "status": sr.status, "items": sr.items, "note": sr.note})


@router.get("/staff/supplements/pending", response={200: list[PendingSupplementOut], **ERRORS},
            summary="待批准的再次补正告知（本人可批准的部门）")
def pending_supplements(request: HttpRequest):
    return [{"id": sr.pk, "case_number": sr.application.number, "item_name": sr.application.item_version.name,
             "requested_by": str(sr.requested_by), "requested_at": sr.requested_at, "sequence": sr.sequence,
             "status": sr.status, "items": sr.items, "note": sr.note}
            for sr in queries.pending_supplement_approvals(request.user)[:200]]


@router.post("/staff/supplements/{pk}/approve", response={200: SupplementOut, **ERRORS}, summary="批准再次补正")
def approve_supplement(request: HttpRequest, pk: int, payload: ApproveIn):
    sr = queries.access_supplement_for_approval(request.user, pk)
    try:
        sr = actions.do_approve_supplement(sr, approve=payload.approve, actor=request.user)
    except ApplicationError as exc:
        return _err(exc)
    return {"sequence": sr.sequence, "status": sr.status, "items": sr.items, "note": sr.note}


@router.post("/staff/cases/{number}/special-steps", response={201: SpecialStepOut, **ERRORS},
             summary="启动特殊环节（须为办事指南所列环节；暂停办件全部计时）")
def start_special_step(request: HttpRequest, number: str, payload: SpecialStepIn):
    app = queries.access_staff_application(request.user, number=number)
    try:
        step = actions.do_start_special_step(app, kind=payload.kind, name=payload.name, note=payload.note,
                                             actor=request.user)
    except ApplicationError as exc:
        return _err(exc)
    return Answer(201, step_out(step))


@router.post("/staff/cases/{number}/special-steps/{step_id}/end", response={200: SpecialStepOut, **ERRORS},
             summary="结束特殊环节（恢复计时）")
def end_special_step(request: HttpRequest, number: str, step_id: int, payload: EndStepIn):
    app = queries.access_staff_application(request.user, number=number)
    step = app.special_steps.filter(pk=step_id).first()
    if step is None:
        raise Http404(_("特殊环节不存在"))
    try:
        step = actions.do_end_special_step(step, note=payload.note, actor=request.user)
    except ApplicationError as exc:
        return _err(exc)
    return step_out(step)
