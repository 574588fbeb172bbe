"""Reads of the audit log for the audit admin, filtered and newest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhengtong.core.audit.models import AuditEntry


@dataclass(frozen=True)
class EntryFilter:
    action: str = ""
    actor: str = ""
    obj: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def as_dict(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in asdict(self).items() if v}


def _parse_date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip()) if raw and raw.strip() else None
    except ValueError:
        return None


def filter_from(params) -> EntryFilter:
    return EntryFilter(action=params.get("action", "").strip(), actor=params.get("actor", "").strip(),
                       obj=params.get("obj", "").strip(), date_from=_parse_date(params.get("date_from")),
                       date_to=_parse_date(params.get("date_to")))


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def entries(f: EntryFilter) -> QuerySet[AuditEntry]:
    """``action`` matches a prefix ("permissions." finds every grant and role change)."""
    qs = AuditEntry.objects.order_by("-seq")
    if f.action:
        qs = qs.filter(action__startswith=f.action)
    if f.actor:
        qs = qs.filter(Q(actor_name__icontains=f.actor) | Q(actor__username=f.actor))
    if f.obj:
        qs = qs.filter(Q(object_repr__icontains=f.obj) | Q(object_id=f.obj) | Q(object_type=f.obj))
    if f.date_from:
        qs = qs.filter(at__gte=_day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(at__lt=_day_start(f.date_to + dt.timedelta(days=1)))
    return qs
