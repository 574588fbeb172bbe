"""The audit admin's acts, each itself audited: reading the log and verifying the chain."""

from __future__ import annotations

from django.db import transaction

from zhengtong.core.audit.log import ChainReport, record, verify_chain
from zhengtong.core.audit.queries import EntryFilter
from zhengtong.core.permissions.checks import require


@transaction.atomic
def check_read_log(*, actor, f: EntryFilter, page: int) -> None:
    """Record that ``actor`` read a page of the log (audit admin only)."""
    require(actor, "audit.log.read")
    record("audit.log.viewed", actor=actor, object_type="audit.auditentry",
           after={"filter": f.as_dict(), "page": page})


def check_verify_chain(*, actor) -> ChainReport:
    """Walk the whole chain, then record the result (audit admin only)."""
    require(actor, "audit.chain.verify")
    report = verify_chain()
    with transaction.atomic():
        record("audit.chain.verified", actor=actor, object_type="audit.auditentry",
               after={"ok": report.ok, "checked": report.checked,
                      "problem": report.problem.message if report.problem else None})
    return report
