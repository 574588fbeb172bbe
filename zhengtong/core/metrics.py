"""Prometheus gauges computed on scrape (cheap aggregate queries)."""

from __future__ import annotations

from prometheus_client import Gauge

AUDIT_ENTRIES = Gauge("zt_audit_entries", "Entries in the audit chain")
USERS = Gauge("zt_users", "Active user accounts", ["kind"])

_extra: list = []


def register_gauge_refresher(func) -> None:
    """Apps add their own gauges (e.g. open cases by status) through this hook."""
    _extra.append(func)


def refresh_gauges() -> None:
    from django.db.models import Count

    from zhengtong.core.accounts.models import User
    from zhengtong.core.audit.models import AuditEntry

    last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    AUDIT_ENTRIES.set(last or 0)
    for row in User.objects.filter(is_active=True).values("kind").annotate(n=Count("id")):
        USERS.labels(row["kind"]).set(row["n"])
    for func in _extra:
        func()
