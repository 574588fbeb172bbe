"""Every write of e-supervision: directives (督办/纠错/问责), ratings (好差评), follow-ups,
appeals and score weights. Shape: atomic → permission and state guard → save → audit →
notify (messages are written in the same transaction; e-mail/SMS leave on commit)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.core.accounts.models import User
from zhengtong.core.audit.log import record
from zhengtong.core.notify import actions as notify
from zhengtong.core.permissions.checks import require
from zhengtong.core.permissions.models import Grant
from zhengtong.core.timelimits.actions import finish_case, open_case
from zhengtong.core.timelimits.models import TimedCase
from zhengtong.supervision import registry as reg
from zhengtong.supervision.models import (
    SUB_INDICATORS,
    AppealStatus,
    Directive,
    DirectiveKind,
    DirectiveStatus,
    FollowUp,
    FollowUpStatus,
    FollowUpStep,
    Rating,
    RatingAppeal,
    RatingInvitation,
    ScoreWeights,
)
from zhengtong.supervision.scorecards import compute_scorecards

MAX_REPLY_DAYS = 60


class SupervisionError(ValueError):
    """A refused change; the message is for the user (400)."""

    status = 400
    code = "invalid"


class Conflict(SupervisionError):
    """The object is not in a state that allows the change (409)."""

    status = 409
    code = "conflict"


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def department_heads(department) -> list[User]:
    grants = (Grant.objects.active().filter(role__code="dept_head", user__is_active=True)
              .filter(Q(department=department) | Q(user__department=department)).select_related("user"))
    return list({g.user_id: g.user for g in grants}.values())


# --- directives: 督办 / 纠错 / 问责 ------------------------------------------------------------

DIRECTIVE_ACTION = {DirectiveKind.URGE: reg.URGE, DirectiveKind.CORRECTION: reg.CORRECT,
                    DirectiveKind.ACCOUNTABILITY: reg.ACCOUNTABILITY}
DIRECTIVE_CASE = {DirectiveKind.URGE: reg.URGE_CASE, DirectiveKind.CORRECTION: reg.CORRECTION_CASE,
                  DirectiveKind.ACCOUNTABILITY: reg.ACCOUNTABILITY_CASE}


def _check_directive_input(kind: str, message: str, requirement: str, reply_days: int) -> None:
    if kind not in DirectiveKind.values:
        raise SupervisionError(_("未知的督办类型：%(kind)s") % {"kind": kind})
    if not message.strip():
        raise SupervisionError(_("请填写督办事项、问题或问责事实"))
    if kind != DirectiveKind.URGE and not requirement.strip():
        raise SupervisionError(_("请填写整改要求或处理措施"))
    if not 1 <= reply_days <= MAX_REPLY_DAYS:
        raise SupervisionError(_("答复时限应为 1 至 %(max)s 个工作日") % {"max": MAX_REPLY_DAYS})


@transaction.atomic
def check_issue_directive(kind: str, *, actor, department, message: str, reply_days: int, requirement: str = "",
                          about_case: TimedCase | None = None, person_name: str = "",
                          today: date | None = None) -> Directive:
    """Issue a 督办/纠错/问责 to a department; its reply runs on its own time-limited case."""
    if kind in DIRECTIVE_ACTION:
        require(actor, DIRECTIVE_ACTION[kind], department=department)
    _check_directive_input(kind, message, requirement, reply_days)
    today = _today(today)
    directive = Directive.objects.create(
        kind=kind, department=department, about_case=about_case, person_name=person_name.strip()[:100],
        message=message.strip(), requirement=requirement.strip(), reply_days=reply_days, created_by=actor)
    title = _("%(kind)s：%(text)s") % {"kind": directive.get_kind_display(), "text": message.strip()[:60]}
    directive.clock = open_case(
        case_type=DIRECTIVE_CASE[kind], object_type="supervision.directive", object_id=str(directive.pk),
        title=title, department=department, started_on=today, limit_days=reply_days, actor=actor, today=today,
        subject_code=about_case.subject_code if about_case else "",
        subject_name=about_case.subject_name if about_case else "")
    directive.save(update_fields=["clock"])
    record(f"supervision.{kind}.issued", actor=actor, obj=directive, after={
        "department": department.code, "about_case": about_case.pk if about_case else None,
        "message": directive.message, "requirement": directive.requirement, "person": directive.person_name,
        "reply_days": reply_days, "due_date": directive.clock.due_date})
    heads = department_heads(department)
    if heads:
        notify.send(heads, subject=title, body=_("请于 %(due)s 前在工作台答复：%(text)s")
                    % {"due": directive.clock.due_date.isoformat(), "text": directive.message},
                    channels=("inbox", "sms"), link=reverse("supervision_console:directive", args=[directive.pk]),
                    obj=directive, actor=actor)
    return directive


@transaction.atomic
def check_answer_directive(directive: Directive, *, actor, answer: str, today: date | None = None) -> Directive:
    """The department replies (督办答复 / 整改情况 / 落实情况); the reply stops its clock."""
    require(actor, reg.REPLY, department=directive.department)
    if not answer.strip():
        raise SupervisionError(_("请填写答复内容"))
    today = _today(today)
    new_status = DirectiveStatus.ANSWERED if directive.kind == DirectiveKind.CORRECTION else DirectiveStatus.CLOSED
    moved = Directive.objects.filter(pk=directive.pk, status=DirectiveStatus.OPEN).update(
        status=new_status, answer=answer.strip(), answered_by=actor, answered_on=today)
    if not moved:
        raise Conflict(_("该事项已答复，不能重复答复"))
    clock = finish_case(directive.clock, on=today, actor=actor)
    directive.refresh_from_db()
    directive.answered_late = clock.finished_late
    fields = ["answered_late"]
    if new_status == DirectiveStatus.CLOSED:
        directive.closed_by, directive.closed_at = actor, timezone.now()
        fields += ["closed_by", "closed_at"]
    directive.save(update_fields=fields)
    record(f"supervision.{directive.kind}.answered", actor=actor, obj=directive,
           before={"status": DirectiveStatus.OPEN},
           after={"status": new_status, "answer": directive.answer, "late": directive.answered_late})
    notify.send(directive.created_by, subject=_("%(dept)s已答复：%(kind)s %(id)s")
                % {"dept": directive.department.name, "kind": directive.get_kind_display(), "id": directive.pk},
                body=directive.answer, channels=("inbox",),
                link=reverse("supervision_console:directive", args=[directive.pk]), obj=directive, actor=actor)
    return directive


@transaction.atomic
def do_close_directive(directive: Directive, *, actor) -> Directive:
    """The supervisor accepts a correction's rectification and closes it."""
    require(actor, reg.CORRECT, department=directive.department)
    if directive.kind != DirectiveKind.CORRECTION:
        raise Conflict(_("只有纠错通知需要审核办结"))
    now = timezone.now()
    moved = Directive.objects.filter(pk=directive.pk, status=DirectiveStatus.ANSWERED).update(
        status=DirectiveStatus.CLOSED, closed_by=actor, closed_at=now)
    if not moved:
        raise Conflict(_("责任部门尚未答复整改情况，或该事项已办结"))
    directive.refresh_from_db()
    record("supervision.correction.closed", actor=actor, obj=directive,
           before={"status": DirectiveStatus.ANSWERED}, after={"status": DirectiveStatus.CLOSED})
    return directive


# --- 好差评 --------------------------------------------------------------------------------


def _level(value, label: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 5:
        raise ValidationError(_("%(label)s应为 1 至 5 的整数（5 为非常满意，1 为非常不满意）") % {"label": label})
    return number


def invitation_for(case_id: int, party) -> RatingInvitation | None:
    """The invitation of ``party`` for the case; None for anyone else (the caller answers 404)."""
    if not getattr(party, "is_authenticated", False):
        return None
    return RatingInvitation.objects.select_related("case__department").filter(case_id=case_id, party=party).first()


@transaction.atomic
def check_submit_rating(invitation: RatingInvitation, *, level, indicators: dict, comment: str = "",
                        today: date | None = None) -> Rating:
    """One rating per case (一事一评); a real-name bad rating opens a follow-up case."""
    values = {"level": _level(level, _("总体评价"))}
    for code, label in SUB_INDICATORS:
        values[code] = _level(indicators.get(code), label)
    case = invitation.case
    if Rating.objects.filter(case=case).exists():
        raise Conflict(_("该办件已经评价过，一事一评，不能重复评价"))
    party = invitation.party
    try:
        with transaction.atomic():
            rating = Rating.objects.create(case=case, party=party, department=case.department,
                                           subject_name=case.subject_name, comment=comment.strip()[:2000],
                                           real_name=party.kind in ("citizen", "enterprise"),
                                           rated_on=_today(today), **values)
    except IntegrityError:
        raise Conflict(_("该办件已经评价过，一事一评，不能重复评价")) from None
    record("supervision.rating.submitted", actor=party, obj=rating, after={**values, "case": case.pk})
    if rating.is_bad and rating.real_name:
        open_follow_up(rating, today=_today(today))
    return rating


def open_follow_up(rating: Rating, *, today: date) -> FollowUp:
    limit = int(getattr(settings, "ZT_BAD_RATING_DAYS", 5))
    case = rating.case
    follow_up = FollowUp(rating=rating, department=rating.department)
    follow_up.clock = open_case(
        case_type=reg.FOLLOW_UP_CASE, object_type="supervision.rating", object_id=str(rating.pk),
        title=_("差评整改：%(title)s") % {"title": case.title}, department=rating.department, started_on=today,
        limit_days=limit, today=today, subject_code=case.subject_code, subject_name=case.subject_name,
        party=rating.party)
    follow_up.save(force_insert=True)
    record("supervision.followup.opened", obj=follow_up, after={"rating": rating.pk, "level": rating.level,
                                                                "due_date": follow_up.clock.due_date})
    heads = department_heads(rating.department)
    if heads:
        notify.send(heads, subject=follow_up.clock.title,
                    body=_("收到实名差评，请于 %(due)s 前完成回访、核实和整改。") % {"due": follow_up.clock.due_date},
                    channels=("inbox", "sms"), link=reverse("supervision_console:follow_up", args=[follow_up.pk]),
                    obj=follow_up)
    return follow_up


NEXT_STEP = {FollowUpStatus.CONTACT: FollowUpStatus.VERIFY, FollowUpStatus.RECTIFY: FollowUpStatus.DONE}


@transaction.atomic
def check_record_follow_up_step(follow_up: FollowUp, *, actor, step: str, note: str, founded: bool | None = None,
                                today: date | None = None) -> FollowUp:
    """Record 回访 (contact), 核实 (verify, founded or not) or 整改 (rectify); the last one ends the clock."""
    require(actor, reg.FOLLOW_UP, department=follow_up.department)
    follow_up = FollowUp.objects.select_for_update(of=("self",)).select_related("clock").get(pk=follow_up.pk)
    if step != follow_up.status:
        raise Conflict(_("当前环节是“%(now)s”，不能登记该环节") % {"now": follow_up.get_status_display()})
    if not note.strip():
        raise SupervisionError(_("请填写情况说明"))
    if step == FollowUpStatus.VERIFY and founded is None:
        raise SupervisionError(_("请选择差评是否属实"))
    before = follow_up.status
    FollowUpStep.objects.create(follow_up=follow_up, step=step, note=note.strip(), actor=actor,
                                founded=founded if step == FollowUpStatus.VERIFY else None)
    if step == FollowUpStatus.VERIFY:
        follow_up.founded = founded
        follow_up.status = FollowUpStatus.RECTIFY if founded else FollowUpStatus.DONE
    else:
        follow_up.status = NEXT_STEP[step]
    fields = ["status", "founded"]
    if follow_up.status == FollowUpStatus.DONE:
        follow_up.completed_on = _today(today)
        finish_case(follow_up.clock, on=follow_up.completed_on, actor=actor)
        fields.append("completed_on")
    follow_up.save(update_fields=fields)
    record("supervision.followup.step", actor=actor, obj=follow_up, before={"status": before},
           after={"status": follow_up.status, "step": step, "note": note.strip(), "founded": founded})
    return follow_up


@transaction.atomic
def check_file_appeal(rating: Rating, *, actor, reason: str) -> RatingAppeal:
    """The department appeals a malicious or mistaken rating; a supervisor decides."""
    require(actor, reg.FOLLOW_UP, department=rating.department)
    if not reason.strip():
        raise SupervisionError(_("请填写申诉理由"))
    if rating.excluded:
        raise Conflict(_("该评价已被剔除"))
    if RatingAppeal.objects.filter(rating=rating, status=AppealStatus.PENDING).exists():
        raise Conflict(_("该评价已有待审核的申诉"))
    appeal = RatingAppeal.objects.create(rating=rating, reason=reason.strip(), filed_by=actor)
    record("supervision.appeal.filed", actor=actor, obj=appeal, after={"rating": rating.pk, "reason": appeal.reason})
    return appeal


@transaction.atomic
def check_decide_appeal(appeal: RatingAppeal, *, actor, approve: bool, note: str = "",
                        today: date | None = None) -> RatingAppeal:
    """Approve (the rating is kept, flagged and excluded from statistics) or reject an appeal."""
    rating = appeal.rating
    require(actor, reg.APPEAL_DECIDE, department=rating.department)
    if not approve and not note.strip():
        raise SupervisionError(_("驳回申诉须填写审核意见"))
    status = AppealStatus.APPROVED if approve else AppealStatus.REJECTED
    moved = RatingAppeal.objects.filter(pk=appeal.pk, status=AppealStatus.PENDING).update(
        status=status, decided_by=actor, decided_at=timezone.now(), decision_note=note.strip()[:500])
    if not moved:
        raise Conflict(_("该申诉已审核"))
    appeal.refresh_from_db()
    if approve:
        Rating.objects.filter(pk=rating.pk).update(excluded=True, excluded_reason=appeal.reason[:500])
        _close_follow_up_for_excluded(rating, actor, _today(today))
    record("supervision.appeal.decided", actor=actor, obj=appeal, before={"status": AppealStatus.PENDING},
           after={"status": status, "note": appeal.decision_note, "rating": rating.pk})
    notify.send(appeal.filed_by, subject=_("差评申诉审核结果：%(s)s") % {"s": appeal.get_status_display()},
                body=appeal.decision_note or appeal.get_status_display(), channels=("inbox",), obj=appeal,
                actor=actor)
    return appeal


def _close_follow_up_for_excluded(rating: Rating, actor, today: date) -> None:
    follow_up = FollowUp.objects.select_for_update(of=("self",)).select_related("clock").filter(rating=rating).first()
    if follow_up is None or follow_up.status in (FollowUpStatus.DONE, FollowUpStatus.EXCLUDED):
        return
    follow_up.status, follow_up.completed_on = FollowUpStatus.EXCLUDED, today
    follow_up.save(update_fields=["status", "completed_on"])
    finish_case(follow_up.clock, on=today, actor=actor)


# --- weights -----------------------------------------------------------------------------


@transaction.atomic
def check_store_scorecards(month_text: str, *, actor, today: date | None = None) -> dict:
    """存档: store a closed month's scorecards now ("YYYY-MM"), replacing its archive; the
    current month is still running and is computed live instead."""
    require(actor, reg.WEIGHTS)
    today = _today(today)
    try:
        month = date.fromisoformat(f"{(month_text or '')[:7]}-01")
    except ValueError:
        raise SupervisionError(_("月份格式应为 YYYY-MM")) from None
    if month >= today.replace(day=1):
        raise SupervisionError(_("只能存档已经结束的月份"))
    return compute_scorecards(month, today, actor=actor)


@transaction.atomic
def check_update_weights(*, actor, values: dict) -> ScoreWeights:
    require(actor, reg.WEIGHTS)
    cleaned = {}
    for name in ScoreWeights.FIELDS:
        try:
            cleaned[name] = int(values.get(name))
        except (TypeError, ValueError):
            raise SupervisionError(_("权重必须是 0 至 100 的整数")) from None
        if not 0 <= cleaned[name] <= 100:
            raise SupervisionError(_("权重必须是 0 至 100 的整数"))
    if not sum(cleaned.values()):
        raise SupervisionError(_("权重不能全部为零"))
    weights = ScoreWeights.current()
    before = {name: getattr(weights, name) for name in ScoreWeights.FIELDS}
    for name, value in cleaned.items():
        setattr(weights, name, value)
    weights.save()
    record("supervision.weights.updated", actor=actor, obj=weights, before=before, after=cleaned)
    return weights
