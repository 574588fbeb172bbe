"""Tasks of the jobs app: a runner for plain functions in the schedule, and the nightly
audit-chain verification."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import task

logger = logging.getLogger("zhengtong.jobs")


@task()
def run_callable(path: str) -> Any:
    """Run a scheduled plain function (one that is not itself a django_tasks task)."""
    result = import_string(path)()
    try:
        from django_tasks.utils import normalize_json

        return normalize_json(result)
    except (TypeError, ValueError):
        return repr(result)[:500]


@task()
def verify_audit_chain() -> dict[str, Any]:
    """Verify the audit chain, record the outcome, and alert the audit admins if it broke."""
    from zhengtong.core.audit.log import record, verify_chain
    from zhengtong.core.notify import actions as notify
    from zhengtong.core.notify.queries import recipients_holding

    report = verify_chain()
    outcome = {"ok": report.ok, "checked": report.checked,
               "problem": None if report.ok else {"seq": report.problem.seq, "kind": report.problem.kind,
                                                  "message": report.problem.message}}
    with transaction.atomic():
        record("audit.chain.verified", role="system", object_type="audit.chain", after=outcome)
        if not report.ok:
            logger.error("audit chain broken: %s", report.problem.message)
            notify.send(recipients_holding("audit.chain.verify"), template="audit.chain_broken",
                        context={"problem": report.problem.message}, channels=("inbox", "email"),
                        link="/console/")
    return outcome
