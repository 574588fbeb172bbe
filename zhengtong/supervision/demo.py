"""The supervisors' own demo work on top of the historical cases (``services.demo_history``):
督办, 纠错 and 问责 issued to departments, answered on time, late or not yet, and appeals
against bad ratings — pending, upheld and rejected.

Unlike the bulk-inserted history, every item goes through the real actions
(``check_issue_directive``, ``check_answer_directive``, ``do_close_directive``,
``check_file_appeal``, ``check_decide_appeal``) with the day it happened as ``today``, so the
clocks, the audit chain and the notices are what the platform writes; the rows' own times
(sent, answered, filed, decided) are then set to those days. The past is a fixed plan of
working days before today, the cases are chosen by a fixed rule: a scale on a given day yields
the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from zhengtong.core.accounts.models import User
from zhengtong.core.audit.log import record
from zhengtong.core.calendar import days
from zhengtong.core.timelimits.actions import refresh_statuses
from zhengtong.core.timelimits.models import CaseStatus, TimedCase
from zhengtong.supervision.actions import (
    check_answer_directive,
    check_decide_appeal,
    check_file_appeal,
    check_issue_directive,
    department_heads,
    do_close_directive,
)
from zhengtong.supervision.models import Directive, DirectiveKind, Rating, RatingAppeal
from zhengtong.supervision.registry import RATED_CASE_TYPES


@dataclass(frozen=True)
class _Directive:
    kind: str
    issued: int  # working days before today
    reply_days: int
    answered_after: int | None  # working days after issue; None: not answered yet
    closed: bool  # a correction whose rectification the supervisor accepted
    message: str
    requirement: str = ""
    person: str = ""
    answer: str = ""


# ``{number}`` / ``{item}``: the case the directive is about
_PLAN = (
    _Directive(DirectiveKind.URGE, 6, 3, 2, False, "办件 {number}（{item}）已超承诺时限，请加快办理并说明原因。",
               answer="超期原因为申请材料需补充核实。现场核查已完成，已安排专人跟进，预计 2 个工作日内作出决定。"),
    _Directive(DirectiveKind.URGE, 5, 2, 4, False, "办件 {number}（{item}）临近法定时限，请当日内办结。",
               answer="因经办人请假交接不及时导致延误，已调整 AB 岗安排，由替岗人员优先办理。"),
    _Directive(DirectiveKind.URGE, 4, 2, None, False, "办件 {number}（{item}）已超时，请立即办理并书面答复。"),
    _Directive(DirectiveKind.URGE, 1, 3, None, False, "办件 {number}（{item}）已亮红灯，请核实进度。"),
    _Directive(DirectiveKind.CORRECTION, 12, 10, 8, True, "办件 {number}（{item}）超期办结，且未按规定一次性告知补正材料。",
               requirement="查明超期原因，完善一次性告知清单，10 个工作日内报送整改情况。",
               answer="已修订该事项的材料清单与一次性告知模板，对窗口人员开展专题培训，相关办件已全部复核。"),
    _Directive(DirectiveKind.CORRECTION, 7, 5, 3, False, "办件 {number}（{item}）办理超过承诺时限，申请人投诉。",
               requirement="向申请人说明情况并致歉，梳理审批环节，压缩内部流转时间。",
               answer="已电话联系申请人说明情况并致歉；审查与决定环节合并由同一科室负责，内部流转压缩 2 个工作日。"),
    _Directive(DirectiveKind.ACCOUNTABILITY, 20, 10, 6, False, "办件 {number}（{item}）超过法定时限办结，经核实系经办人未按时办理。",
               requirement="对直接责任人进行约谈，并在部门内通报。", person="经办人（窗口受理岗）",
               answer="已对责任人进行约谈并在科室内通报批评，纳入年度考核。"),
    _Directive(DirectiveKind.ACCOUNTABILITY, 9, 10, None, False, "办件 {number}（{item}）多次超时，督办后仍未按期答复。",
               requirement="查明责任，提出处理意见并报监察室。", person="审批科室负责人"),
)


@dataclass(frozen=True)
class _Appeal:
    reason: str
    decision: bool | None  # True upheld, False rejected, None pending
    note: str = ""


_APPEALS = (
    _Appeal("评价人反映的问题系其他部门事项，与本部门办理无关，且评价内容含辱骂性语言。", True,
            "经核实评价内容与本部门办理无关，申诉成立，该评价不计入考核。"),
    _Appeal("申请人因不符合法定条件未获许可而给予差评，本部门已依法告知理由。", False,
            "评价人对办理时长的意见属实，差评不予剔除，请继续做好整改回访。"),
    _Appeal("同一申请人对同一办件重复差评，疑似恶意评价。", None),
)


def _day(today: date, working_days_before: int) -> date:
    return days.subtract_working_days(today, working_days_before) if working_days_before else today


def _at(on: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(on, time(hour, minute)))


def _late_cases(*, still_open: bool, count: int) -> list[TimedCase]:
    """The cases citizens rate (an application's processing clock) a supervisor picks first — open and red (to urge), or finished
    late (to correct, to hold someone accountable) — one per department with a head to answer,
    longest overdue first."""
    if still_open:
        qs = TimedCase.objects.filter(case_type__in=RATED_CASE_TYPES, status=CaseStatus.RED)
    else:
        qs = TimedCase.objects.filter(case_type__in=RATED_CASE_TYPES, status=CaseStatus.FINISHED,
                                      finished_late=True)
    chosen: list[TimedCase] = []
    seen: set[int] = set()
    for case in qs.select_related("department").order_by("due_date", "pk"):
        if case.department_id in seen:
            continue
        seen.add(case.department_id)
        if department_heads(case.department):
            chosen.append(case)
            if len(chosen) == count:
                break
    return chosen


def _number(case: TimedCase) -> str:
    return case.title.split(" ", 1)[0] if case.title else case.object_id


def _issue(plan: _Directive, case: TimedCase, supervisor: User, today: date) -> Directive:
    issued = _day(today, plan.issued)
    text = {"number": _number(case), "item": case.subject_name or case.title}
    directive = check_issue_directive(
        plan.kind, actor=supervisor, department=case.department, message=plan.message.format(**text),
        reply_days=plan.reply_days, requirement=plan.requirement, about_case=case, person_name=plan.person,
        today=issued)
    Directive.objects.filter(pk=directive.pk).update(created_at=_at(issued, 9, 30))
    if plan.answered_after is None:
        return directive
    answered = min(days.add_working_days(issued, plan.answered_after), today)
    head = department_heads(case.department)[0]
    directive = check_answer_directive(directive, actor=head, answer=plan.answer, today=answered)
    if directive.closed_at:  # an urge or accountability is closed by its answer
        Directive.objects.filter(pk=directive.pk).update(closed_at=_at(answered, 16))
    if plan.closed:
        closed = min(days.add_working_days(answered, 1), today)
        directive = do_close_directive(directive, actor=supervisor)
        Directive.objects.filter(pk=directive.pk).update(closed_at=_at(closed, 10))
    return directive


def _appeal(plan: _Appeal, rating: Rating, supervisor: User, today: date) -> RatingAppeal:
    filed = max(rating.rated_on + timedelta(days=1), _day(today, 8))
    filed = min(filed, today)
    head = department_heads(rating.department)[0]
    appeal = check_file_appeal(rating, actor=head, reason=plan.reason)
    RatingAppeal.objects.filter(pk=appeal.pk).update(filed_at=_at(filed, 11))
    if plan.decision is not None:
        decided = min(days.add_working_days(filed, 2), today)
        appeal = check_decide_appeal(appeal, actor=supervisor, approve=plan.decision, note=plan.note, today=decided)
        RatingAppeal.objects.filter(pk=appeal.pk).update(decided_at=_at(decided, 15))
    return appeal


def _appealable(count: int) -> list[Rating]:
    """Recent real-name bad ratings of departments with a head, one per department."""
    chosen: list[Rating] = []
    seen: set[int] = set()
    for rating in (Rating.objects.filter(level__lte=2, real_name=True, excluded=False)
                   .select_related("department").order_by("-rated_on", "-pk")):
        if rating.department_id in seen or not department_heads(rating.department):
            continue
        seen.add(rating.department_id)
        chosen.append(rating)
        if len(chosen) == count:
            break
    return chosen


@transaction.atomic
def load_supervision_work() -> dict[str, int]:
    """Issue, answer and close the planned directives and appeals (see the module docstring)."""
    supervisors = list(User.objects.filter(grants__role__code="supervisor", is_active=True)
                       .distinct().order_by("username"))
    if not supervisors:
        return {}
    today = timezone.localdate()
    urges = [plan for plan in _PLAN if plan.kind == DirectiveKind.URGE]
    others = [plan for plan in _PLAN if plan.kind != DirectiveKind.URGE]
    planned = [*zip(urges, _late_cases(still_open=True, count=len(urges)), strict=False),
               *zip(others, _late_cases(still_open=False, count=len(others)), strict=False)]
    directives = [_issue(plan, case, supervisors[i % len(supervisors)], today)
                  for i, (plan, case) in enumerate(planned)]
    ratings = _appealable(len(_APPEALS))
    appeals = [_appeal(plan, rating, supervisors[0], today)
               for plan, rating in zip(_APPEALS, ratings, strict=False)]
    refresh_statuses(today)  # the colours the daily job would store (an unanswered urge is red by now)
    counts = {"directives": len(directives), "appeals": len(appeals)}
    record("demo.supervision.loaded", role="demo", after=counts)
    return counts
