"""E-supervision over the API (/api/v1/supervision/…): monitor, dashboard, directives,
rating (the party), follow-ups, appeals, scorecards. The same actions as the console."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from zhengtong.core.api.errors import ErrorOut
from zhengtong.core.org.models import Department
from zhengtong.core.permissions.checks import require
from zhengtong.supervision import actions, dashboard, queries, scorecards
from zhengtong.supervision import registry as reg
from zhengtong.supervision.models import (
    SUB_INDICATORS,
    AppealStatus,
    Directive,
    FollowUp,
    Rating,
    RatingAppeal,
    ScoreWeights,
)
from zhengtong.supervision.registry import DIRECTIVE_VIEWERS, FOLLOW_UP_VIEWERS

router = Router(tags=["supervision"])


def _error(exc: actions.SupervisionError) -> Status:
    return Status(exc.status, {"code": exc.code, "message": str(exc)})


class CaseRow(Schema):
    id: int
    case_type: str
    title: str
    subject_code: str
    subject_name: str
    department: str
    region: str | None
    handler: str | None
    started_on: date
    due_date: date
    statutory_due_date: date | None
    finished_on: date | None
    status: str
    statutory_over: bool


class MonitorOut(Schema):
    counts: dict[str, int]
    page: int
    has_next: bool
    items: list[CaseRow]


def _row(c) -> dict:
    return {"id": c.pk, "case_type": c.case_type, "title": c.title, "subject_code": c.subject_code,
            "subject_name": c.subject_name, "department": c.department.code,
            "region": c.region.code if c.region_id else None, "handler": str(c.handler) if c.handler_id else None,
            "started_on": c.started_on, "due_date": c.due_date, "statutory_due_date": c.statutory_due_date,
            "finished_on": c.finished_on, "status": c.live_status, "statutory_over": c.statutory_over}


@router.get("/monitor", response=MonitorOut, summary="全市时限监控（计数与一页案件）")
def monitor(request: HttpRequest, page: int = 1, region: str = "", department: str = "", case_type: str = "",
            subject: str = "", status: str = "", statutory: str = ""):
    filters = queries.MonitorFilters.from_params({"region": region, "department": department, "subject": subject,
                                                  "case_type": case_type, "status": status, "statutory": statutory})
    today = timezone.localdate()
    rows, has_next = queries.monitor_page(request.user, today, filters, page)
    return {"counts": queries.monitor_counts(request.user, today, filters), "page": max(page, 1),
            "has_next": has_next, "items": [_row(c) for c in rows]}


@router.get("/dashboard", summary="监察大屏数据（ECharts）", url_name="supervision_dashboard")
def dashboard_data(request: HttpRequest):
    return dashboard.data(request.user, timezone.localdate())


# --- directives ----------------------------------------------------------------------------


class DirectiveIn(Schema):
    kind: str
    department: str
    message: str
    reply_days: int
    requirement: str = ""
    about_case: int | None = None
    person_name: str = ""


class DirectiveOut(Schema):
    id: int
    kind: str
    department: str
    status: str
    message: str
    requirement: str
    answer: str
    due_date: date | None
    answered_on: date | None
    answered_late: bool


class AnswerIn(Schema):
    answer: str


def _directive_out(d: Directive) -> dict:
    return {"id": d.pk, "kind": d.kind, "department": d.department.code, "status": d.status, "message": d.message,
            "requirement": d.requirement, "answer": d.answer, "due_date": d.clock.due_date if d.clock else None,
            "answered_on": d.answered_on, "answered_late": d.answered_late}


@router.get("/directives", response=list[DirectiveOut], summary="督办纠错问责（本人范围内）")
def directive_list(request: HttpRequest):
    return [_directive_out(d) for d in queries.directives_for(request.user, DIRECTIVE_VIEWERS)[:200]]


@router.post("/directives", response={201: DirectiveOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
             summary="发出督办/纠错/问责")
def directive_issue(request: HttpRequest, payload: DirectiveIn):
    department = get_object_or_404(Department, code=payload.department)
    about = queries.access_case_for_monitor(request.user, payload.about_case) if payload.about_case else None
    try:
        d = actions.check_issue_directive(payload.kind, actor=request.user, department=department,
                                          message=payload.message, reply_days=payload.reply_days,
                                          requirement=payload.requirement, about_case=about,
                                          person_name=payload.person_name)
    except actions.SupervisionError as exc:
        return _error(exc)
    return Status(201, _directive_out(d))


@router.post("/directives/{directive_id}/answer", response={200: DirectiveOut, 400: ErrorOut, 403: ErrorOut,
                                                              404: ErrorOut, 409: ErrorOut}, summary="答复")
def directive_answer(request: HttpRequest, directive_id: int, payload: AnswerIn):
    d = queries.access_directive(request.user, directive_id, DIRECTIVE_VIEWERS)
    try:
        d = actions.check_answer_directive(d, actor=request.user, answer=payload.answer)
    except actions.SupervisionError as exc:
        return _error(exc)
    return _directive_out(d)


@router.post("/directives/{directive_id}/close", response={200: DirectiveOut, 403: ErrorOut, 404: ErrorOut,
                                                             409: ErrorOut}, summary="审核办结纠错")
def directive_close(request: HttpRequest, directive_id: int):
    d = queries.access_directive(request.user, directive_id, DIRECTIVE_VIEWERS)
    try:
        d = actions.do_close_directive(d, actor=request.user)
    except actions.SupervisionError as exc:
        return _error(exc)
    return _directive_out(d)


# --- rating (the party) ------------------------------------------------------------------------


class RatingIn(Schema):
    level: int
    overall: int
    efficiency: int
    guide_accuracy: int
    convenience: int
    usability: int
    comment: str = ""


class RatingOut(Schema):
    case_id: int
    level: int
    overall: int
    efficiency: int
    guide_accuracy: int
    convenience: int
    usability: int
    comment: str
    follow_up: bool


class InvitationOut(Schema):
    case_id: int
    title: str
    department: str
    rated: bool
    rating: RatingOut | None


def _rating_out(r: Rating) -> dict:
    return {"case_id": r.case_id, "level": r.level, "comment": r.comment,
            "follow_up": FollowUp.objects.filter(rating=r).exists(),
            **{code: getattr(r, code) for code, _label in SUB_INDICATORS}}


def _invitation(request: HttpRequest, case_id: int):
    invitation = actions.invitation_for(case_id, request.user)
    if invitation is None:
        raise Http404(_("没有可评价的办件"))
    return invitation


@router.get("/rate/{case_id}", response={200: InvitationOut, 404: ErrorOut}, summary="办件评价邀请（申请人）")
def rating_get(request: HttpRequest, case_id: int):
    inv = _invitation(request, case_id)
    rating = Rating.objects.filter(case_id=case_id).first()
    return {"case_id": case_id, "title": inv.case.title, "department": inv.case.department.name,
            "rated": rating is not None, "rating": _rating_out(rating) if rating else None}


@router.post("/rate/{case_id}", response={201: RatingOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
             summary="评价办件（好差评，一事一评）")
def rating_post(request: HttpRequest, case_id: int, payload: RatingIn):
    inv = _invitation(request, case_id)
    data = payload.dict()
    try:
        rating = actions.check_submit_rating(inv, level=data.pop("level"), comment=data.pop("comment"),
                                             indicators=data)
    except actions.SupervisionError as exc:
        return _error(exc)
    except ValidationError as exc:
        return Status(400, {"code": "invalid", "message": "；".join(exc.messages)})
    return Status(201, _rating_out(rating))


# --- follow-ups ----------------------------------------------------------------------------


class FollowUpOut(Schema):
    id: int
    rating_level: int
    department: str
    status: str
    founded: bool | None
    due_date: date
    completed_on: date | None
    excluded: bool


class StepIn(Schema):
    step: str
    note: str
    founded: bool | None = None


class AppealIn(Schema):
    reason: str


def _fu_out(fu: FollowUp) -> dict:
    return {"id": fu.pk, "rating_level": fu.rating.level, "department": fu.department.code, "status": fu.status,
            "founded": fu.founded, "due_date": fu.clock.due_date, "completed_on": fu.completed_on,
            "excluded": fu.rating.excluded}


FU_VIEWERS = FOLLOW_UP_VIEWERS


@router.get("/follow-ups", response=list[FollowUpOut], summary="差评整改（本人范围内）")
def follow_up_list(request: HttpRequest):
    return [_fu_out(f) for f in queries.follow_ups_for(request.user, FU_VIEWERS)[:200]]


@router.get("/follow-ups/{follow_up_id}", response={200: FollowUpOut, 404: ErrorOut}, summary="差评整改详情")
def follow_up_get(request: HttpRequest, follow_up_id: int):
    return _fu_out(queries.access_follow_up(request.user, follow_up_id, FU_VIEWERS))


@router.post("/follow-ups/{follow_up_id}/steps", response={200: FollowUpOut, 400: ErrorOut, 403: ErrorOut,
                                                              404: ErrorOut, 409: ErrorOut},
             summary="登记回访/核实/整改")
def follow_up_step(request: HttpRequest, follow_up_id: int, payload: StepIn):
    fu = queries.access_follow_up(request.user, follow_up_id, FU_VIEWERS)
    try:
        fu = actions.check_record_follow_up_step(fu, actor=request.user, step=payload.step, note=payload.note,
                                                 founded=payload.founded)
    except actions.SupervisionError as exc:
        return _error(exc)
    return _fu_out(FollowUp.objects.select_related("rating", "department", "clock").get(pk=fu.pk))


@router.post("/follow-ups/{follow_up_id}/appeal", response={201: dict, 400: ErrorOut, 403: ErrorOut,
                                                               404: ErrorOut, 409: ErrorOut}, summary="差评申诉")
def follow_up_appeal(request: HttpRequest, follow_up_id: int, payload: AppealIn):
    fu = queries.access_follow_up(request.user, follow_up_id, FU_VIEWERS)
    try:
        appeal = actions.check_file_appeal(fu.rating, actor=request.user, reason=payload.reason)
    except actions.SupervisionError as exc:
        return _error(exc)
    return Status(201, {"id": appeal.pk, "status": appeal.status})


# --- appeals (the supervisor's side) ---------------------------------------------------------


class AppealOut(Schema):
    id: int
    rating: int
    rating_level: int
    department: str
    reason: str
    status: str
    filed_at: datetime
    decided_at: datetime | None
    decision_note: str
    rating_excluded: bool


class DecideIn(Schema):
    approve: bool
    note: str = ""


def _appeal_out(a: RatingAppeal) -> dict:
    return {"id": a.pk, "rating": a.rating_id, "rating_level": a.rating.level, "department": a.rating.department.code,
            "reason": a.reason, "status": a.status, "filed_at": a.filed_at, "decided_at": a.decided_at,
            "decision_note": a.decision_note, "rating_excluded": a.rating.excluded}


@router.get("/appeals", response={200: list[AppealOut], 400: ErrorOut}, summary="差评申诉（本人可审核的部门）")
def appeal_list(request: HttpRequest, status: str = ""):
    appeals = queries.pending_appeals(request.user, reg.APPEAL_DECIDE)
    if status:
        if status not in AppealStatus.values:
            return Status(400, {"code": "invalid", "message": _("未知的申诉状态：%(s)s") % {"s": status}})
        appeals = appeals.filter(status=status)
    return [_appeal_out(a) for a in appeals[:200]]


@router.post("/appeals/{appeal_id}/decide", response={200: AppealOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                        409: ErrorOut}, summary="审核差评申诉（成立则剔除该评价）")
def appeal_decide(request: HttpRequest, appeal_id: int, payload: DecideIn):
    # an appeal outside the reader's scope is answered as one that does not exist
    appeal = queries.pending_appeals(request.user, reg.APPEAL_DECIDE).filter(pk=appeal_id).first()
    if appeal is None:
        raise Http404
    try:
        actions.check_decide_appeal(appeal, actor=request.user, approve=payload.approve, note=payload.note)
    except actions.SupervisionError as exc:
        return _error(exc)
    return _appeal_out(RatingAppeal.objects.select_related("rating__department").get(pk=appeal.pk))


# --- scorecards ----------------------------------------------------------------------------


class ScorecardRowOut(Schema):
    rank: int
    department: str
    department_name: str
    finished: int
    on_time: int
    on_time_rate: float | None
    avg_working_days: float | None
    overdue: int
    supplement_rate: float | None
    ratings: int
    satisfaction_rate: float | None
    bad_ratings: int
    rectification_rate: float | None
    score: float


class ScorecardsOut(Schema):
    month: str
    stored: bool
    rows: list[ScorecardRowOut]


def _number(value) -> float | None:
    return None if value is None else float(value)


@router.get("/scorecards", response={200: ScorecardsOut, 400: ErrorOut, 403: ErrorOut},
            summary="部门绩效考核（某月，默认本月；已存档的月份读存档）")
def scorecard_get(request: HttpRequest, month: str = ""):
    require(request.user, reg.SCORECARD)
    today = timezone.localdate()
    try:
        first = date.fromisoformat(f"{month}-01") if month else scorecards.month_start(today)
    except ValueError:
        return Status(400, {"code": "invalid", "message": _("月份格式应为 YYYY-MM")})
    if first > today:
        return Status(400, {"code": "invalid", "message": _("不能查询尚未开始的月份")})
    rows, stored = scorecards.for_user(request.user, first, today)
    return {"month": f"{first:%Y-%m}", "stored": stored, "rows": [{
        "rank": r.rank, "department": r.department.code, "department_name": r.department.name,
        "finished": r.finished, "on_time": r.on_time, "on_time_rate": _number(r.on_time_rate),
        "avg_working_days": _number(r.avg_working_days), "overdue": r.overdue,
        "supplement_rate": _number(r.supplement_rate), "ratings": r.ratings,
        "satisfaction_rate": _number(r.satisfaction_rate), "bad_ratings": r.bad_ratings,
        "rectification_rate": _number(r.rectification_rate), "score": float(r.score)} for r in rows]}


class StoreIn(Schema):
    month: str  # YYYY-MM, a month that has ended


@router.post("/scorecards/store", response={200: dict, 400: ErrorOut, 403: ErrorOut},
             summary="存档某月部门绩效考核（替换该月已有存档）")
def scorecard_store(request: HttpRequest, payload: StoreIn):
    try:
        result = actions.check_store_scorecards(payload.month, actor=request.user)
    except actions.SupervisionError as exc:
        return _error(exc)
    return {"month": result["month"][:7], "departments": result["departments"]}


class WeightsIO(Schema):
    on_time: int
    speed: int
    supplement: int
    satisfaction: int
    rectification: int


def _weights_out(weights: ScoreWeights) -> dict:
    return {name: getattr(weights, name) for name in ScoreWeights.FIELDS}


@router.get("/weights", response={200: WeightsIO, 403: ErrorOut}, summary="考核权重")
def weights_get(request: HttpRequest):
    require(request.user, reg.SCORECARD)
    return _weights_out(ScoreWeights.current())


@router.put("/weights", response={200: WeightsIO, 400: ErrorOut, 403: ErrorOut},
            summary="修改考核权重（0–100 的整数，不能全为零）")
def weights_put(request: HttpRequest, payload: WeightsIO):
    try:
        return _weights_out(actions.check_update_weights(actor=request.user, values=payload.dict()))
    except actions.SupervisionError as exc:
        return _error(exc)
