"""Scoped, set-based reads for the monitor and the supervision lists.

The monitor never loops over cases in Python: colours and the statutory flag are SQL
annotations, the counts one conditional aggregate, and the page a LIMIT query with no
COUNT(*) (the counts already say how many open cases there are)."""

from __future__ import annotations

import heapq
import operator
from dataclasses import dataclass, field
from datetime import date
from functools import reduce

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from zhengtong.core.accounts.models import User
from zhengtong.core.org.models import Department, Region
from zhengtong.core.permissions.checks import require, scope_q
from zhengtong.core.timelimits.models import OPEN_STATUSES, RUNNING_STATUSES, CaseStatus, TimedCase
from zhengtong.core.timelimits.registry import CASE_TYPES
from zhengtong.supervision.models import Directive, FollowUp, RatingAppeal
from zhengtong.supervision.registry import MONITOR

PAGE_SIZE = 50
FILTER_KEYS = ("region", "department", "case_type", "subject", "status", "statutory")
STATUS_CHOICES = (*[str(s) for s in OPEN_STATUSES], str(CaseStatus.FINISHED))


def status_q(status: str, today: date) -> Q:
    """The rows whose live status (as of ``today``) is ``status``; '' means every open case."""
    running = Q(status__in=RUNNING_STATUSES)
    return {
        "": Q(status__in=OPEN_STATUSES),
        CaseStatus.NORMAL: running & Q(yellow_from__gt=today, due_date__gte=today),
        CaseStatus.YELLOW: running & Q(yellow_from__lte=today, due_date__gte=today),
        CaseStatus.RED: running & Q(due_date__lt=today),
        CaseStatus.PAUSED: Q(status=CaseStatus.PAUSED),
        CaseStatus.FINISHED: Q(status=CaseStatus.FINISHED),
    }[status]


def statutory_over_q(today: date) -> Q:
    """Past the statutory limit: still open after it, or finished after it."""
    return (Q(finished_on__isnull=True, statutory_due_date__lt=today)
            | Q(finished_on__isnull=False, finished_on__gt=F("statutory_due_date")))


def statutory_candidates_q(today: date, stored: str) -> Q:
    """Where a statutory overrun can be among cases stored as ``stored``, as conditions on
    the ``(…, status, due_date)`` indexes' own columns.

    A promise never exceeds the law (承诺时限 ≤ 法定时限), and extensions and pauses move
    both due dates alike (``core.timelimits.deadlines``), so a running case past its
    statutory date is also past its promised one (red): the index range is ``due_date <
    today``, not every running case."""
    if stored in RUNNING_STATUSES:
        return Q(due_date__lt=today, statutory_due_date__lt=today)
    return Q()


@dataclass
class MonitorFilters:
    region: str = ""
    department: str = ""
    case_type: str = ""
    subject: str = ""
    status: str = ""
    statutory: bool = False
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_params(cls, params) -> MonitorFilters:
        values = {k: str(params.get(k, "") or "").strip() for k in FILTER_KEYS}
        status = values["status"]
        if status and status not in STATUS_CHOICES:
            raise ValidationError(_("未知的状态：%(status)s") % {"status": status})
        if values["case_type"] and values["case_type"] not in CASE_TYPES:
            raise ValidationError(_("未知的时限类型：%(t)s") % {"t": values["case_type"]})
        return cls(region=values["region"], department=values["department"], case_type=values["case_type"],
                   subject=values["subject"], status=status, statutory=values["statutory"] in ("1", "true", "on"))

    @property
    def narrowed(self) -> bool:
        return bool(self.region or self.department or self.case_type or self.subject)

    @property
    def by_index(self) -> bool:
        """Nothing set but, at most, one of region and department: each has a ``(…, status,
        due_date)`` index, so its page is read per stored status in due-date order."""
        return not (self.case_type or self.subject or (self.region and self.department))

    def q(self) -> Q:
        """Filters on the case table's own columns, with literal ids (a sub-select would hide
        its selectivity from SQLite's planner, which then walks the status index instead)."""
        q = Q()
        if self.region:
            q &= Q(region_id__in=list(Region.objects.filter(path__contains=f"/{self.region}/")
                                      .values_list("pk", flat=True)))
        if self.department:
            q &= Q(department_id__in=list(Department.objects.filter(code=self.department)
                                          .values_list("pk", flat=True)))
        if self.case_type:
            q &= Q(case_type=self.case_type)
        if self.subject:
            q &= Q(subject_code=self.subject)
        return q


# Stored statuses a live status can be found under (a running case's stored colour may lag a day).
STORED = {"": OPEN_STATUSES, CaseStatus.NORMAL: RUNNING_STATUSES, CaseStatus.YELLOW: RUNNING_STATUSES,
          CaseStatus.RED: RUNNING_STATUSES, CaseStatus.PAUSED: (CaseStatus.PAUSED,),
          CaseStatus.FINISHED: (CaseStatus.FINISHED,)}


def _scoped(user) -> QuerySet[TimedCase]:
    require(user, MONITOR)
    return TimedCase.objects.filter(scope_q(user, MONITOR)).order_by()


def monitor_counts(user, today: date, filters: MonitorFilters) -> dict[str, int]:
    """Open cases in scope by live status, plus those past the statutory limit.

    Six COUNTs, each one index range of ``(status, due_date)`` / ``(status, yellow_from,
    due_date)`` when no filter is set, instead of one pass over every open row."""
    base = _scoped(user).filter(filters.q())
    if filters.narrowed:
        return _counts_in_one_pass(base, today)
    running = base.filter(status__in=RUNNING_STATUSES)
    red = running.filter(due_date__lt=today).count()
    yellow = running.filter(due_date__gte=today, yellow_from__lte=today).count()
    return {
        str(CaseStatus.NORMAL): running.count() - red - yellow,
        str(CaseStatus.YELLOW): yellow,
        str(CaseStatus.RED): red,
        str(CaseStatus.PAUSED): base.filter(status=CaseStatus.PAUSED).count(),
        "statutory_over": running.filter(due_date__lt=today, statutory_due_date__lt=today).count()
        + base.filter(status=CaseStatus.PAUSED, statutory_due_date__lt=today).count(),
    }


def _counts_in_one_pass(base: QuerySet[TimedCase], today: date) -> dict[str, int]:
    """With a department/region/type/item filter the planner reads that filter's index, so
    one pass with conditional counts beats six passes. It counts ``due_date`` (never null),
    not ``id``, so on PostgreSQL the region and department indexes answer it alone."""
    aggregates = {str(s): Count("due_date", filter=status_q(str(s), today)) for s in OPEN_STATUSES}
    aggregates["statutory_over"] = Count("due_date", filter=Q(statutory_due_date__lt=today))
    return base.filter(status__in=OPEN_STATUSES).aggregate(**aggregates)


def _annotated(qs: QuerySet[TimedCase], today: date) -> QuerySet[TimedCase]:
    return qs.with_live_status(today).annotate(
        statutory_over=Case(When(statutory_over_q(today), then=Value(True)), default=Value(False),
                            output_field=BooleanField()))


def monitor_cases(user, today: date, filters: MonitorFilters) -> QuerySet[TimedCase]:
    """Every matching case, annotated, in due-date order (one queryset; for small result sets)."""
    qs = _scoped(user).filter(filters.q()).filter(status_q(filters.status, today))
    if filters.statutory:
        qs = qs.filter(statutory_over_q(today))
    return _annotated(qs, today).select_related("department", "region", "handler").order_by("due_date", "id")


def _attach_related(rows: list[TimedCase]) -> None:
    """Departments, regions and handlers of a page: three IN queries instead of joins."""
    departments = Department.objects.in_bulk({r.department_id for r in rows})
    regions = Region.objects.in_bulk({r.region_id for r in rows if r.region_id})
    handlers = User.objects.in_bulk({r.handler_id for r in rows if r.handler_id})
    for r in rows:
        r.department = departments[r.department_id]
        r.region = regions.get(r.region_id)
        r.handler = handlers.get(r.handler_id)


def monitor_page(user, today: date, filters: MonitorFilters, page: int = 1) -> tuple[list[TimedCase], bool]:
    """One page of cases and whether another follows (LIMIT n+1, no COUNT over millions).

    One query per stored status (each reads the ``(status, due_date)`` index, or the region's
    or department's ``(…, status, due_date)`` index, in order), merged here: neither database
    reads ``status IN (…) ORDER BY due_date`` from such an index in order."""
    page = max(page, 1)
    start = (page - 1) * PAGE_SIZE
    wanted = start + PAGE_SIZE + 1
    base = _scoped(user).filter(filters.q()).filter(status_q(filters.status, today))
    if filters.statutory:
        base = base.filter(statutory_over_q(today))
    if not filters.by_index:  # one query through the type's or item's index, sorted
        if filters.statutory:
            base = base.filter(reduce(operator.or_, (Q(status=stored) & statutory_candidates_q(today, stored)
                                                     for stored in STORED[filters.status])))
        rows = list(_annotated(base, today).order_by("due_date", "id")[start:wanted])
    else:
        parts = [list(_annotated(base.filter(status=stored), today)
                      .filter(statutory_candidates_q(today, stored) if filters.statutory else Q())
                      .order_by("due_date", "id")[:wanted])
                 for stored in STORED[filters.status]]
        rows = list(heapq.merge(*parts, key=lambda r: (r.due_date, r.pk)))[start:wanted]
    _attach_related(rows[:PAGE_SIZE])
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def access_case_for_monitor(user, case_id: int) -> TimedCase:
    case = _scoped(user).select_related("department").filter(pk=case_id).first()
    if case is None:
        raise Http404(_("案件不存在"))
    return case


# --- directives, follow-ups, appeals -------------------------------------------------------


def any_scope_q(user, actions: tuple[str, ...], department_field: str = "department") -> Q:
    """Rows in the scope of any of ``actions``. (``Q(pk__in=[]) | Q()`` would drop the empty,
    city-wide Q, so a city scope short-circuits.)"""
    q = Q(pk__in=[])
    for action in actions:
        part = scope_q(user, action, department_field=department_field)
        if not part:
            return Q()
        q |= part
    return q


def directives_for(user, actions: tuple[str, ...]) -> QuerySet[Directive]:
    """Directives in the user's scope for any of ``actions`` (supervisors: city; heads: their department)."""
    return (Directive.objects.filter(any_scope_q(user, actions)).select_related("department", "clock", "created_by", "answered_by")
            .order_by("-created_at", "-id"))


def access_directive(user, directive_id: int, actions: tuple[str, ...]) -> Directive:
    directive = directives_for(user, actions).select_related("about_case").filter(pk=directive_id).first()
    if directive is None:
        raise Http404(_("督办事项不存在或不在您的管理范围内"))
    return directive


def follow_ups_for(user, actions: tuple[str, ...]) -> QuerySet[FollowUp]:
    return (FollowUp.objects.filter(any_scope_q(user, actions)).select_related("rating", "department", "clock")
            .order_by("-created_at", "-id"))


def access_follow_up(user, follow_up_id: int, actions: tuple[str, ...]) -> FollowUp:
    found = (follow_ups_for(user, actions).prefetch_related("steps__actor", "rating__appeals").filter(pk=follow_up_id).first())
    if found is None:
        raise Http404(_("差评整改不存在或不在您的管理范围内"))
    return found


def pending_appeals(user, action: str) -> QuerySet[RatingAppeal]:
    return (RatingAppeal.objects.filter(scope_q(user, action, department_field="rating__department"))
            .select_related("rating", "rating__department", "filed_by").order_by("status", "-filed_at"))

