"""Reactions to the spine's signals, connected in ``SupervisionConfig.ready()``."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from zhengtong.core.calendar import days
from zhengtong.core.db.compiled import CompiledQuery
from zhengtong.core.db.inserts import insert
from zhengtong.core.notify import actions as notify
from zhengtong.core.timelimits.models import LimitUnit, TimedCase
from zhengtong.supervision.models import CaseOutcome, RatingInvitation
from zhengtong.supervision.registry import is_rated


def working_days_used(case: TimedCase, finished_on: date) -> int:
    if case.limit_unit == LimitUnit.WORKING:
        used = days.working_days_between(case.started_on, finished_on)
    else:
        used = (finished_on - case.started_on).days
    return max(used - case.paused_days, 0)


def record_outcome(case: TimedCase) -> CaseOutcome:
    """The finished case's figures, computed once (scorecards only aggregate them)."""
    finished_on = case.finished_on
    statutory_late = bool(case.statutory_due_date and finished_on > case.statutory_due_date)
    figures = {
        "case_type": case.case_type, "department_id": case.department_id, "subject_name": case.subject_name,
        "finished_on": finished_on, "month": finished_on.replace(day=1), "late": case.finished_late,
        "statutory_late": statutory_late, "working_days_used": working_days_used(case, finished_on),
        "limit_days": case.limit_days + case.extended_days,
        # a clock never stopped was never waiting for a supplement: no need to read its pauses
        "supplemented": bool(case.pause_count) and case.pauses.filter(reason__contains="补正").exists()}
    # A case finishes once (under its row lock; a finished case cannot finish again), so its
    # figures are inserted, not upserted: the one-to-one key would refuse a second row.
    [outcome] = insert([CaseOutcome(case_id=case.pk, **figures)])
    return outcome


_KIND = CompiledQuery(lambda user_id: get_user_model().objects.filter(pk=user_id).values_list("kind"))


def invite_rating(case: TimedCase) -> RatingInvitation | None:
    """Invite the case's party to rate it — a citizen or an enterprise, never a civil servant."""
    kind = _KIND.all(case.party_id) if case.party_id is not None else []
    if not kind or kind[0][0] == "staff":
        return None
    # A case finishes once (``finish_case`` refuses a finished one, under the case's row lock),
    # so it is invited once: no read first; the one-to-one key would refuse a second.
    [invitation] = insert([RatingInvitation(case=case, party_id=case.party_id)])
    notify.send(case.party_id, subject=_("请对“%(title)s”的办理进行评价") % {"title": case.title},
                body=_("您的事项“%(title)s”已办结，欢迎对本次服务作出评价（好差评）。") % {"title": case.title},
                channels=("inbox",), link=reverse("supervision:rate", args=[case.pk]), obj=case)
    return invitation


def on_case_finished(sender, *, case: TimedCase, actor=None, withdrawn: bool = False, **kwargs) -> None:
    """Runs inside the finishing transaction: outcome row always, rating invitation for rated
    types — except for a withdrawn case, which was never served and is neither rated nor scored."""
    if withdrawn:
        return
    record_outcome(case)
    if is_rated(case.case_type):
        invite_rating(case)
