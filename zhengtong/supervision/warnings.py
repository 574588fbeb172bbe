"""Automatic warnings (自动预警), run daily by the scheduler: ``issue_warnings``.

- yellow (the promised limit is near): the handler, once per case;
- red (overdue): every further working day overdue a new warning, escalating upward —
  day 1: the handler and the department's heads; day 2: also the parent department's
  heads; day 3 and later: also the supervisors whose scope covers the department.

Every warning is a ``Warning`` row; the unique (case, level, day) constraint means a
second run on the same day sends nothing. Non-working days send nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.core.accounts.models import User
from zhengtong.core.audit.log import record
from zhengtong.core.calendar import days
from zhengtong.core.notify import actions as notify
from zhengtong.core.permissions.checks import has_perm
from zhengtong.core.permissions.models import Grant
from zhengtong.core.timelimits.models import RUNNING_STATUSES, TimedCase
from zhengtong.supervision.models import Warning, WarningLevel
from zhengtong.supervision.registry import MONITOR

MAX_ESCALATION = 3


class _Recipients:
    """Department heads and supervisors, looked up once per department per run."""

    def __init__(self) -> None:
        self._heads: dict[int, list[User]] = {}
        self._supervisor_users = list(User.objects.filter(
            pk__in=Grant.objects.active().filter(role__code="supervisor").values("user_id"), is_active=True))
        self._supervisors: dict[int, list[User]] = {}

    def heads(self, department) -> list[User]:
        if department is None:
            return []
        if department.pk not in self._heads:
            grants = (Grant.objects.active().filter(role__code="dept_head", user__is_active=True)
                      .filter(Q(department=department) | Q(user__department=department)))
            self._heads[department.pk] = list({g.user_id: g.user for g in grants.select_related("user")}.values())
        return self._heads[department.pk]

    def supervisors(self, department) -> list[User]:
        if department.pk not in self._supervisors:
            self._supervisors[department.pk] = [u for u in self._supervisor_users
                                                if has_perm(u, MONITOR, department=department)]
        return self._supervisors[department.pk]

    def for_red(self, case: TimedCase, level: int) -> list[User]:
        users = [case.handler, *self.heads(case.department)]
        parent = case.department.parent
        if level >= 2:
            users += self.heads(parent) if parent is not None else self.supervisors(case.department)
        if level >= 3:
            users += self.supervisors(case.department)
        return list({u.pk: u for u in users if u is not None}.values())


def _send(case: TimedCase, *, level: str, escalation: int, overdue: int, users: list[User], today: date) -> bool:
    """Record and send one warning; False when it was already sent today (or nobody to tell)."""
    if not users:
        return False
    try:
        with transaction.atomic():
            warning = Warning.objects.create(case=case, level=level, escalation_level=escalation,
                                             overdue_days=overdue, recipients=[u.pk for u in users], sent_on=today)
            record("supervision.warning.issued", obj=warning, object_repr=case.title[:200],
                   after={"case": case.pk, "level": level, "escalation_level": escalation, "overdue_days": overdue,
                          "recipients": [u.pk for u in users]})
            notify.send(users, subject=_subject(case, level, overdue), body=_body(case, level, overdue),
                        channels=("inbox", "sms") if level == WarningLevel.RED else ("inbox",),
                        link=reverse("supervision_console:monitor") + f"?case={case.pk}", obj=case)
    except IntegrityError:  # a concurrent run sent it first
        return False
    return True


def _subject(case: TimedCase, level: str, overdue: int) -> str:
    if level == WarningLevel.YELLOW:
        return _("【黄牌预警】%(title)s 即将到期") % {"title": case.title}
    return _("【红牌超期】%(title)s 已超期 %(n)s 个工作日") % {"title": case.title, "n": overdue}


def _body(case: TimedCase, level: str, overdue: int) -> str:
    values = {"title": case.title, "dept": case.department.name, "due": case.due_date.isoformat(), "n": overdue}
    if level == WarningLevel.YELLOW:
        return _("%(dept)s承办的“%(title)s”将于 %(due)s 到期，请抓紧办理。") % values
    return _("%(dept)s承办的“%(title)s”承诺时限 %(due)s 已过，现已超期 %(n)s 个工作日，请立即办理并说明情况。") % values


def _running() -> Any:
    return TimedCase.objects.filter(status__in=RUNNING_STATUSES).select_related("department__parent", "handler")


def issue_yellow(today: date) -> int:
    sent_before = Warning.objects.filter(case=OuterRef("pk"), level=WarningLevel.YELLOW)
    cases = (_running().filter(yellow_from__lte=today, due_date__gte=today, handler__isnull=False)
             .filter(~Exists(sent_before)).order_by("pk"))
    return sum(_send(c, level=WarningLevel.YELLOW, escalation=0, overdue=0, users=[c.handler], today=today)
               for c in cases.iterator(chunk_size=500))


def issue_red(today: date, recipients: _Recipients) -> int:
    sent_today = Warning.objects.filter(case=OuterRef("pk"), level=WarningLevel.RED, sent_on=today)
    overdue = _running().filter(due_date__lt=today).filter(~Exists(sent_today))
    sent = 0
    # Overdue cases share few due dates: one working-day count per date, not per case.
    for due in overdue.values_list("due_date", flat=True).distinct().order_by("due_date"):
        n = max(days.working_days_between(due, today), 1)
        level = min(n, MAX_ESCALATION)
        for case in overdue.filter(due_date=due).order_by("pk").iterator(chunk_size=500):
            sent += _send(case, level=WarningLevel.RED, escalation=level, overdue=n,
                          users=recipients.for_red(case, level), today=today)
    return sent


def issue_warnings(today: date | None = None) -> dict[str, Any]:
    """The daily warning run (scheduler job); idempotent within a day."""
    today = today or timezone.localdate()
    if not days.is_workday(today):
        return {"today": today.isoformat(), "skipped": "non-working day"}
    yellow = issue_yellow(today)
    red = issue_red(today, _Recipients())
    return {"today": today.isoformat(), "yellow": yellow, "red": red}
