"""Monthly department scorecards (绩效评估): a handful of GROUP BY queries per month.

Figures per department and month (the month a case finished / a rating was given):
- on-time rate = finished not late / finished;
- average working days used (from ``CaseOutcome``, computed once when each case finished);
- overdue = finished late in the month + running cases that fell due in the month and are
  still open past their due date;
- supplement rate = finished cases that were paused for 补正 / finished;
- satisfaction rate = ratings 4–5 / ratings not excluded by an approved appeal;
- rectification rate = follow-ups completed / bad ratings (not excluded).

Weighted score: each figure scaled to 0–100 (on-time, speed = 1 − used/limit, first-time
right = 1 − supplement rate, satisfaction, rectification), weighted by ``ScoreWeights``;
a figure with no data leaves the average instead of counting as zero.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhengtong.core.audit.log import record
from zhengtong.core.org.models import Department
from zhengtong.core.permissions.checks import has_perm
from zhengtong.core.timelimits.models import RUNNING_STATUSES, TimedCase
from zhengtong.supervision.models import (
    CaseOutcome,
    FollowUp,
    FollowUpStatus,
    Rating,
    Scorecard,
    ScoreWeights,
)
from zhengtong.supervision.registry import SCORECARD

FIELDS = ("finished", "on_time", "on_time_rate", "avg_working_days", "overdue", "supplement_rate", "ratings",
          "satisfaction_rate", "bad_ratings", "rectification_rate", "score", "rank")


def month_start(d: date) -> date:
    return d.replace(day=1)


def next_month(m: date) -> date:
    return date(m.year + (m.month == 12), m.month % 12 + 1, 1)


def previous_month(m: date) -> date:
    return date(m.year - (m.month == 1), (m.month - 2) % 12 + 1, 1)


def _ratio(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


@dataclass
class Row:
    department: Department
    finished: int = 0
    on_time: int = 0
    on_time_rate: Decimal | None = None
    avg_working_days: Decimal | None = None
    avg_limit: Decimal | None = None
    overdue: int = 0
    supplemented: int = 0
    supplement_rate: Decimal | None = None
    ratings: int = 0
    good: int = 0
    satisfaction_rate: Decimal | None = None
    bad_ratings: int = 0
    rectified: int = 0
    rectification_rate: Decimal | None = None
    score: Decimal = Decimal("0")
    rank: int = 0

    def components(self) -> dict[str, Decimal | None]:
        speed = None
        if self.avg_limit and self.avg_working_days is not None:
            speed = max(Decimal(0), min(Decimal(1), 1 - self.avg_working_days / self.avg_limit))
        return {
            "on_time": self.on_time_rate,
            "speed": speed,
            "supplement": None if self.supplement_rate is None else 1 - self.supplement_rate,
            "satisfaction": self.satisfaction_rate,
            "rectification": self.rectification_rate,
        }

    def weigh(self, weights: ScoreWeights) -> None:
        total = weight_sum = Decimal(0)
        for name, value in self.components().items():
            w = Decimal(getattr(weights, name))
            if value is not None and w:
                total += w * value * 100
                weight_sum += w
        self.score = (total / weight_sum).quantize(Decimal("0.01"), ROUND_HALF_UP) if weight_sum else Decimal("0")


def _outcome_figures(month: date, rows: dict[int, Row | dict]) -> None:
    # Counting an indexed column (not the key) keeps SQLite inside the covering index.
    qs = (CaseOutcome.objects.filter(month=month).order_by().values("department_id")
          .annotate(finished=Count("month"), on_time=Count("month", filter=Q(late=False)),
                    late=Count("month", filter=Q(late=True)),
                    supplemented=Count("month", filter=Q(supplemented=True)),
                    avg_days=Avg("working_days_used"), avg_limit=Avg("limit_days")))
    for r in qs:
        row = rows.setdefault(r["department_id"], {})
        row.update(finished=r["finished"], on_time=r["on_time"], overdue=r["late"], supplemented=r["supplemented"],
                   avg_working_days=Decimal(str(r["avg_days"])).quantize(Decimal("0.01"), ROUND_HALF_UP),
                   avg_limit=Decimal(str(r["avg_limit"])))


def _open_overdue(month: date, today: date, rows: dict) -> None:
    end = min(next_month(month), today)
    if end <= month:
        return
    qs = (TimedCase.objects.filter(status__in=RUNNING_STATUSES, due_date__gte=month, due_date__lt=end)
          .order_by().values("department_id").annotate(n=Count("pk")))
    for r in qs:
        row = rows.setdefault(r["department_id"], {})
        row["overdue"] = row.get("overdue", 0) + r["n"]


def _rating_figures(month: date, rows: dict) -> None:
    in_month = Q(rated_on__gte=month, rated_on__lt=next_month(month), excluded=False)
    qs = (Rating.objects.filter(in_month).order_by().values("department_id")
          .annotate(n=Count("pk"), good=Count("pk", filter=Q(level__gte=4)), bad=Count("pk", filter=Q(level__lte=2))))
    for r in qs:
        rows.setdefault(r["department_id"], {}).update(ratings=r["n"], good=r["good"], bad_ratings=r["bad"])
    done = (FollowUp.objects.filter(rating__rated_on__gte=month, rating__rated_on__lt=next_month(month),
                                    rating__excluded=False, status=FollowUpStatus.DONE)
            .order_by().values("department_id").annotate(n=Count("pk")))
    for r in done:
        rows.setdefault(r["department_id"], {})["rectified"] = r["n"]


def compute(month: date, today: date | None = None) -> list[Row]:
    """The month's scorecards, live from aggregates, ranked by weighted score."""
    month, today = month_start(month), today or timezone.localdate()
    raw: dict[int, dict] = {}
    _outcome_figures(month, raw)
    _open_overdue(month, today, raw)
    _rating_figures(month, raw)
    departments = Department.objects.in_bulk(list(raw))
    weights = ScoreWeights.current()
    rows = []
    for dept_id, values in raw.items():
        row = Row(department=departments[dept_id], **values)
        row.on_time_rate = _ratio(row.on_time, row.finished)
        row.supplement_rate = _ratio(row.supplemented, row.finished)
        row.satisfaction_rate = _ratio(row.good, row.ratings)
        row.rectification_rate = _ratio(row.rectified, row.bad_ratings)
        row.weigh(weights)
        rows.append(row)
    rows.sort(key=lambda r: (-r.score, r.department.code))
    for i, row in enumerate(rows, start=1):
        row.rank = i
    return rows


@transaction.atomic
def compute_scorecards(month: date | None = None, today: date | None = None, *, actor=None) -> dict:
    """Store the month's scorecards (default: last month); the monthly job, or a supervisor's
    存档 (``actor``). Idempotent: replaces the month."""
    today = today or timezone.localdate()
    month = month_start(month) if month else previous_month(month_start(today))
    rows = compute(month, today)
    Scorecard.objects.filter(month=month).delete()
    Scorecard.objects.bulk_create([
        Scorecard(month=month, department=r.department, **{f: getattr(r, f) for f in FIELDS}) for r in rows])
    record("supervision.scorecards.computed", actor=actor, object_type="supervision.scorecard",
           object_id=month.isoformat(), after={"month": month.isoformat(), "departments": len(rows)})
    return {"month": month.isoformat(), "departments": len(rows)}


def for_user(user, month: date, today: date | None = None) -> tuple[list, bool]:
    """Rows the user may see: stored rows for a closed month when stored, else live. (rows, stored?)"""
    today = today or timezone.localdate()
    month = month_start(month)
    stored: list = []
    if month < month_start(today):
        stored = list(Scorecard.objects.filter(month=month).select_related("department").order_by("rank"))
    rows = stored or compute(month, today)
    return [r for r in rows if has_perm(user, SCORECARD, department=r.department)], bool(stored)


# The workbook is written in its reader's language.
HEADERS = (_("排名"), _("部门"), _("办结数"), _("按时办结数"), _("按时办结率"), _("平均用时（工作日）"), _("超期数"),
           _("补正率"), _("有效评价数"), _("满意率"), _("差评数"), _("差评整改率"), _("综合得分"))


def _pct(value) -> float | None:
    return None if value is None else float(value)


def export_xlsx(rows: list, month: date) -> bytes:
    """The month's scorecard as an Excel workbook (rates as percentages)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"{month:%Y-%m}"
    sheet.append([gettext("部门月度考核 %(year)s年%(month)s月") % {"year": month.year, "month": f"{month.month:02d}"}])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([str(h) for h in HEADERS])
    for r in rows:
        sheet.append([r.rank, r.department.name, r.finished, r.on_time, _pct(r.on_time_rate),
                      _pct(r.avg_working_days), r.overdue, _pct(r.supplement_rate), r.ratings,
                      _pct(r.satisfaction_rate), r.bad_ratings, _pct(r.rectification_rate), float(r.score)])
    for col in ("E", "H", "J", "L"):
        for cell in sheet[col][2:]:
            cell.number_format = "0.00%"
    sheet.column_dimensions["B"].width = 32
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
