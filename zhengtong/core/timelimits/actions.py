"""Writes to time-limited cases. Owning apps call these from their own actions, after
their own permission checks; only an extension needs a permission of its own here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.core.audit.log import record
from zhengtong.core.db.compiled import CompiledQuery
from zhengtong.core.db.inserts import insert
from zhengtong.core.db.updates import save_fields
from zhengtong.core.permissions.checks import require
from zhengtong.core.timelimits import deadlines
from zhengtong.core.timelimits.models import (
    RUNNING_STATUSES,
    CaseExtension,
    CasePause,
    CaseStatus,
    LimitUnit,
    TimedCase,
)
from zhengtong.core.timelimits.registry import get_case_type
from zhengtong.core.timelimits.signals import case_finished

DEADLINE_FIELDS = ["due_date", "statutory_due_date", "due_provisional", "yellow_from", "yellow_days", "paused_days", "status"]


class CaseStateError(ValueError):
    """The case is not in a state that allows the change; the message is for the user."""


_LOCK_CASE = CompiledQuery(lambda pk: TimedCase.objects.select_for_update().filter(pk=pk))


def _locked(case: TimedCase) -> TimedCase:
    return _LOCK_CASE.get(case.pk)


def _update_from(case: TimedCase, fresh: TimedCase) -> None:
    """``refresh_from_db`` from a row already read: every field, and a related object
    cached on ``case`` is dropped when the key it was read by changed."""
    for field in TimedCase._meta.concrete_fields:
        value = getattr(fresh, field.attname)
        if field.is_relation and field.is_cached(case) and getattr(case, field.attname) != value:
            field.delete_cached_value(case)
        setattr(case, field.attname, value)
    case._state.db = fresh._state.db


def _snapshot(case: TimedCase) -> dict:
    return {"due_date": case.due_date, "status": case.status, "due_provisional": case.due_provisional}


def _finished_pauses(case: TimedCase) -> list[tuple[date, date]]:
    return [(p.started_on, p.ended_on) for p in case.pauses.all() if p.ended_on is not None]


def _apply_deadline(case: TimedCase, today: date, pauses: list[tuple[date, date]]) -> None:
    """Recompute the case's dates from its facts; set the running status unless paused."""
    result = deadlines.compute(started_on=case.started_on, limit_days=case.limit_days, unit=case.limit_unit,
                               extended_days=case.extended_days, pauses=pauses,
                               yellow_days=case.yellow_days, statutory_days=case.statutory_days)
    case.due_date, case.due_provisional = result.due_date, result.provisional
    case.statutory_due_date = result.statutory_due_date
    case.yellow_from, case.paused_days = result.yellow_from, result.paused_days
    if case.status in RUNNING_STATUSES:
        case.status = deadlines.status_on(case.due_date, case.yellow_from, today)


@transaction.atomic(savepoint=False)
def open_case(*, case_type: str, object_type: str, object_id: str, title: str, department,
              started_on: date, limit_days: int | None = None, limit_unit: str | None = None,
              region=None, handler=None, actor=None, today: date | None = None,
              statutory_days: int | None = None, subject_code: str = "", subject_name: str = "",
              party=None) -> TimedCase:
    """Start the clock of a time-limited case."""
    spec = get_case_type(case_type)
    limit = spec.default_limit_days if limit_days is None else limit_days
    if limit is None or limit < 0:
        raise CaseStateError(_("办理时限必须是非负整数"))
    unit = limit_unit or spec.default_unit
    if unit not in LimitUnit.values:
        raise CaseStateError(_("未知的时限单位：%(unit)s") % {"unit": unit})
    case = TimedCase(case_type=case_type, object_type=object_type, object_id=str(object_id), title=title[:200],
                     department=department, handler=handler,
                     # the department's region by id: no need to load the region itself
                     region_id=region.pk if region is not None else department.region_id,
                     started_on=started_on, limit_days=limit, limit_unit=unit, statutory_days=statutory_days,
                     subject_code=subject_code, subject_name=subject_name[:200], party=party,
                     yellow_days=spec.effective_yellow_days, status=CaseStatus.NORMAL)
    _apply_deadline(case, today or timezone.localdate(), [])
    insert([case])
    record("timelimits.case.opened", actor=actor, obj=case,
           after={"case_type": case_type, "object": f"{object_type}:{object_id}", "started_on": started_on,
                  "limit": limit, "unit": unit, "due_date": case.due_date, "provisional": case.due_provisional})
    return case


@transaction.atomic
def pause_case(case: TimedCase, *, on: date, reason: str, actor=None) -> CasePause:
    """Stop the clock (e.g. waiting for the applicant's supplement or a third party)."""
    case = _locked(case)
    if case.status not in RUNNING_STATUSES:
        raise CaseStateError(_("只有计时中的案件可以暂停计时"))
    if on < case.started_on:
        raise CaseStateError(_("暂停日不能早于起算日"))
    pause = CasePause.objects.create(case=case, reason=reason[:200], started_on=on, created_by=actor)
    before = _snapshot(case)
    case.status, case.paused_since = CaseStatus.PAUSED, on
    case.pause_count += 1
    save_fields(case, ["status", "paused_since", "pause_count", "updated_at"])
    record("timelimits.case.paused", actor=actor, obj=case, before=before,
           after={"status": case.status, "paused_since": on, "reason": reason[:200]})
    return pause


@transaction.atomic
def resume_case(case: TimedCase, *, on: date, actor=None, today: date | None = None) -> TimedCase:
    """Restart the clock; the pause's working days push the due date back."""
    case = _locked(case)
    pause = case.pauses.filter(ended_on__isnull=True).first()
    if case.status != CaseStatus.PAUSED or pause is None:
        raise CaseStateError(_("该案件没有暂停计时"))
    if on < pause.started_on:
        raise CaseStateError(_("恢复日不能早于暂停日"))
    pause.ended_on = on
    pause.save(update_fields=["ended_on"])
    before = _snapshot(case)
    case.status, case.paused_since = CaseStatus.NORMAL, None
    _apply_deadline(case, today or timezone.localdate(), _finished_pauses(case))
    save_fields(case, [*DEADLINE_FIELDS, "paused_since", "updated_at"])
    record("timelimits.case.resumed", actor=actor, obj=case, before=before,
           after={**_snapshot(case), "paused": [pause.started_on, on], "paused_days": case.paused_days})
    return case


@transaction.atomic
def extend_case(case: TimedCase, *, days: int, reason: str, approver, today: date | None = None) -> CaseExtension:
    """Extend the limit by ``days`` (in the case's unit), approved by ``approver``."""
    case = _locked(case)
    require(approver, "timelimits.case.extend", department=case.department)
    if not case.is_open:
        raise CaseStateError(_("已办结的案件不能延期"))
    if days <= 0:
        raise CaseStateError(_("延长天数必须大于零"))
    if not reason.strip():
        raise CaseStateError(_("请填写延期理由"))
    extension = CaseExtension.objects.create(case=case, days=days, reason=reason[:200], approved_by=approver)
    before = _snapshot(case)
    case.extended_days += days
    _apply_deadline(case, today or timezone.localdate(), _finished_pauses(case))
    save_fields(case, [*DEADLINE_FIELDS, "extended_days", "updated_at"])
    record("timelimits.case.extended", actor=approver, obj=case, before=before,
           after={**_snapshot(case), "days": days, "reason": reason[:200]})
    return extension


@transaction.atomic(savepoint=False)
def finish_case(case: TimedCase, *, on: date, actor=None, withdrawn: bool = False) -> TimedCase:
    """Stop the clock for good; a case finished after its due date is marked late.

    ``withdrawn``: the clock stops because the applicant withdrew, not because the work was
    done — receivers of ``case_finished`` (ratings, scorecards) leave such cases out."""
    case = _locked(case)
    if not case.is_open:
        raise CaseStateError(_("该案件已办结"))
    return _finish(case, on=on, actor=actor, withdrawn=withdrawn)


@transaction.atomic(savepoint=False)
def finish_open_case(case: TimedCase | int, *, actor=None, withdrawn: bool = False,
                     today: date | None = None) -> TimedCase | None:
    """Stop the clock if it still runs, on ``today`` (or on its first day, if that is later).

    ``case``: the case, brought up to date in place (one read ``FOR UPDATE``, where an "is it
    still open?" read and ``finish_case`` take two), or its id. Returns the finished case, or
    None when it had already finished."""
    today = today or timezone.localdate()
    pk = case.pk if isinstance(case, TimedCase) else case
    finished = _finish_running(pk, today) if connection.vendor == "postgresql" else None
    if finished is not None:  # it was running: finished in one statement
        fresh, before = finished
    else:  # paused, finished or on SQLite: read it locked, then finish it here
        fresh, before = _LOCK_CASE.get(pk), None
    if isinstance(case, TimedCase):
        _update_from(case, fresh)
    else:
        case = fresh
    if before is not None:
        return _finished(case, before, actor=actor, withdrawn=withdrawn)
    if not case.is_open:
        return None
    return _finish(case, on=max(today, case.started_on), actor=actor, withdrawn=withdrawn)


def _finish(case: TimedCase, *, on: date, actor, withdrawn: bool) -> TimedCase:
    if on < case.started_on:
        raise CaseStateError(_("办结日不能早于起算日"))
    before = _snapshot(case)
    if case.status == CaseStatus.PAUSED:
        case.pauses.filter(ended_on__isnull=True).update(ended_on=on)
        case.paused_since = None
        _apply_deadline(case, on, _finished_pauses(case))
    case.status, case.finished_on = CaseStatus.FINISHED, on
    case.finished_late = on > case.due_date
    save_fields(case, [*DEADLINE_FIELDS, "paused_since", "finished_on", "finished_late", "updated_at"])
    return _finished(case, before, actor=actor, withdrawn=withdrawn)


def _finished(case: TimedCase, before: dict, *, actor, withdrawn: bool) -> TimedCase:
    record("timelimits.case.finished", actor=actor, obj=case, before=before,
           after={"status": case.status, "finished_on": case.finished_on, "late": case.finished_late,
                  "withdrawn": withdrawn})
    case_finished.send(sender=TimedCase, case=case, actor=actor, withdrawn=withdrawn)
    return case


_FINISH_RUNNING: tuple[str, list[str]] | None = None


def _finish_running(pk: int, today: date) -> tuple[TimedCase, dict] | None:
    """PostgreSQL: finish the clock in one statement if it runs (not paused, not finished) —
    lock it, read its status before, set it finished on ``today`` (or its first day, if that is
    later) and read it back; where ``finish_open_case`` otherwise takes a locked read and an
    UPDATE. Returns the finished case and its snapshot before, or None when it did not run.

    The subquery's ``FOR UPDATE`` waits for a concurrent change of the row and reads its latest
    version, so the status "before" is the one this statement replaced. A running clock's dates
    do not change when it finishes (only a paused one's do: that goes the long way)."""
    global _FINISH_RUNNING
    if _FINISH_RUNNING is None:
        quote = connection.ops.quote_name
        table = quote(TimedCase._meta.db_table)
        names = [f.attname for f in TimedCase._meta.concrete_fields]
        columns = ", ".join(f"c.{quote(f.column)}" for f in TimedCase._meta.concrete_fields)
        running = ", ".join(f"'{status.value}'" for status in RUNNING_STATUSES)  # the code's own constants
        _FINISH_RUNNING = (
            f"UPDATE {table} AS c SET status = '{CaseStatus.FINISHED.value}', "
            f"finished_on = GREATEST(%s::date, c.started_on), "
            f"finished_late = GREATEST(%s::date, c.started_on) > c.due_date, paused_since = NULL, updated_at = %s "
            f"FROM (SELECT id, status FROM {table} WHERE id = %s FOR UPDATE) AS old "
            f"WHERE c.id = old.id AND old.status IN ({running}) RETURNING {columns}, old.status", names)
    sql, names = _FINISH_RUNNING
    with connection.cursor() as cursor:
        cursor.execute(sql, [today, today, timezone.now(), pk])
        row = cursor.fetchone()
    if row is None:
        return None
    case = TimedCase.from_db(connection.alias, names, row[:-1])
    return case, {"due_date": case.due_date, "status": row[-1], "due_provisional": case.due_provisional}


@transaction.atomic
def recompute_deadlines(qs: QuerySet[TimedCase], *, actor=None, today: date | None = None) -> int:
    """Recompute due dates of the open cases in ``qs`` (after a calendar change); returns how many changed."""
    today = today or timezone.localdate()
    changed: list[TimedCase] = []
    for case in qs.open().select_for_update().prefetch_related("pauses").order_by("pk"):
        before = _snapshot(case)
        _apply_deadline(case, today, _finished_pauses(case))
        if _snapshot(case) != before:
            changed.append(case)
            record("timelimits.case.recomputed", actor=actor, obj=case, before=before, after=_snapshot(case))
    TimedCase.objects.bulk_update(changed, DEADLINE_FIELDS, batch_size=500)
    return len(changed)


@transaction.atomic
def refresh_statuses(today: date | None = None) -> dict[str, int]:
    """Set the stored status of every running case as of ``today``, in three UPDATEs.

    Only rows whose status changes are written; each statement reads one index range
    (``status, due_date`` or ``status, yellow_from``)."""
    today = today or timezone.localdate()
    running = TimedCase.objects.filter
    moved = {
        CaseStatus.RED: running(status__in=[CaseStatus.NORMAL, CaseStatus.YELLOW], due_date__lt=today)
        .update(status=CaseStatus.RED),
        CaseStatus.YELLOW: running(status__in=[CaseStatus.NORMAL, CaseStatus.RED], due_date__gte=today,
                                   yellow_from__lte=today).update(status=CaseStatus.YELLOW),
        CaseStatus.NORMAL: running(status__in=[CaseStatus.YELLOW, CaseStatus.RED], yellow_from__gt=today)
        .update(status=CaseStatus.NORMAL),
    }
    counts = {str(k): v for k, v in moved.items()}
    if any(counts.values()):
        record("timelimits.statuses.refreshed", object_type="timelimits.timedcase",
               after={"today": today, "moved_to": counts})
    return counts


@transaction.atomic
def sync_yellow_thresholds(today: date | None = None) -> int:
    """Re-derive ``yellow_from`` of open cases whose type's threshold changed since they opened.

    One UPDATE per distinct (type, due date): open cases share few due dates."""
    from zhengtong.core.calendar import days
    from zhengtong.core.timelimits.registry import CASE_TYPES

    total = 0
    for code, spec in CASE_TYPES.items():
        stale = TimedCase.objects.open().filter(case_type=code).exclude(yellow_days=spec.effective_yellow_days)
        for due in stale.values_list("due_date", flat=True).distinct().order_by():
            yellow_from = days.subtract_working_days(due, spec.effective_yellow_days)
            total += stale.filter(due_date=due).update(yellow_days=spec.effective_yellow_days,
                                                       yellow_from=yellow_from)
    if total:
        record("timelimits.thresholds.synced", object_type="timelimits.timedcase",
               after={"cases": total, "thresholds": {c: s.effective_yellow_days for c, s in CASE_TYPES.items()}})
        refresh_statuses(today)
    return total


@transaction.atomic
def pause_cases(cases: Iterable[TimedCase], *, on: date, reason: str, actor=None) -> list[CasePause]:
    """Stop several clocks at once (e.g. a case's overall clock and its open task clocks).

    Clocks that are not running (already paused or finished) are left as they are; a clock
    that started after ``on`` pauses from its start. Returns the pauses made, so the caller
    knows which clocks it stopped and resumes only those."""
    pauses = []
    for case in sorted(cases, key=lambda c: c.pk):  # one lock order for every caller
        case = _locked(case)
        if case.status in RUNNING_STATUSES:
            pauses.append(pause_case(case, on=max(on, case.started_on), reason=reason, actor=actor))
    return pauses


@transaction.atomic
def resume_cases(cases: Iterable[TimedCase], *, on: date, actor=None, today: date | None = None) -> list[TimedCase]:
    """Restart the paused clocks among ``cases``; finished or running ones are skipped.

    A clock whose pause began after ``on`` resumes on the pause's first day (no paused time)."""
    resumed = []
    for case in sorted(cases, key=lambda c: c.pk):
        case = _locked(case)
        pause = case.pauses.filter(ended_on__isnull=True).first()
        if case.status != CaseStatus.PAUSED or pause is None:
            continue
        resumed.append(resume_case(case, on=max(on, pause.started_on), actor=actor, today=today))
    return resumed
