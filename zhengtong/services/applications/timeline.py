"""Helpers shared by the applications actions: timeline events, notifications, clocks, and
the tolerant hooks into the workflow and billing apps (written in parallel; absent → logged)."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.core.audit.log import record
from zhengtong.core.db.inserts import insert
from zhengtong.core.db.nesting import joined
from zhengtong.core.notify.actions import send  # noqa: F401  (used by actions too)
from zhengtong.core.permissions.checks import holder_ids
from zhengtong.core.timelimits import actions as clocks
from zhengtong.core.timelimits.models import TimedCase
from zhengtong.services.applications.errors import StateConflict  # noqa: F401  (tl.StateConflict)
from zhengtong.services.applications.models import Application, ApplicationEvent, Status

logger = logging.getLogger("zhengtong.applications")

APPLICANT_CHANNELS = ("inbox", "sms")
DECISION_CHANNELS = ("inbox", "sms", "email")


# ---------------------------------------------------------------- hooks into sibling apps

def optional_hook(module: str, name: str, *, level: int = logging.WARNING) -> Callable[..., Any] | None:
    """``module.name`` if that module exists yet; a missing module or function is logged, not raised."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        logger.log(level, "applications: %s is not installed yet; skipping %s", module, name)
        return None
    hook = getattr(mod, name, None)
    if hook is None:
        logger.log(level, "applications: %s.%s is not available yet; skipping", module, name)
    return hook


def start_process(app: Application, *, actor) -> Any:
    """The started process instance, or None when no engine is installed."""
    hook = optional_hook("zhengtong.services.workflow.engine", "start_process")
    return joined(hook, app, actor=actor) if hook is not None else None


def cancel_process(app: Application, *, actor) -> None:
    hook = optional_hook("zhengtong.services.workflow.engine", "cancel_process")
    if hook is not None:
        hook(app, actor=actor)


def issue_bill(target, *, actor) -> Any:
    hook = optional_hook("zhengtong.services.billing.actions", "issue_bill")
    return joined(hook, target, actor=actor) if hook is not None else None


def cancel_bill(app: Application, *, actor, reason: str) -> Any:
    """Void the case's unpaid bill; a bundle member's bill stays (it covers the others too)."""
    if app.bundle_application_id is not None:
        return None
    hook = optional_hook("zhengtong.services.billing.actions", "cancel_bill")
    return hook(app, actor=actor, reason=reason) if hook is not None else None


def issue_licence(app: Application, *, actor) -> Any:
    hook = optional_hook("zhengtong.services.billing.actions", "issue_licence")
    return joined(hook, app, actor=actor) if hook is not None else None


# ---------------------------------------------------------------- timeline and audit

def event(app: Application, action: str, *, actor, before: str = "", note: str = "",
          public: bool = True) -> ApplicationEvent:
    [row] = insert([ApplicationEvent(application=app, actor=actor if getattr(actor, "pk", None) else None,
                                     action=action[:60], from_status=before, to_status=app.status,
                                     note=note, public=public)])
    return row


def audit(code: str, app: Application, *, actor, before: str, **after: Any) -> None:
    record(f"applications.{code}", actor=actor, obj=app, before={"status": before},
           after={"status": app.status, "number": app.number, **after})


def conflict(app: Application, verb: str) -> StateConflict:
    """The refusal for an action that found the case in another state than it needs."""
    current = Application.objects.filter(pk=app.pk).values("status", "accepted_by__display_name").first() or {}
    status = current.get("status", "")
    if status == Status.WITHDRAWN:
        return StateConflict(_("申请人已撤回该办件，不能%(verb)s") % {"verb": verb}, code="withdrawn")
    if status in (Status.ACCEPTED, Status.REVIEWING) and verb == _("受理"):
        return StateConflict(_("该办件已由%(name)s受理，请勿重复受理")
                             % {"name": current.get("accepted_by__display_name") or _("其他工作人员")},
                             code="already_accepted")
    label = Status(status).label if status in Status.values else status
    return StateConflict(_("办件当前状态为“%(status)s”，不能%(verb)s") % {"status": label, "verb": verb},
                         code="wrong_state")


# ---------------------------------------------------------------- notifications

def public_link(app: Application) -> str:
    return reverse("applications:detail", args=[app.number])


def console_link(app: Application) -> str:
    try:
        return reverse("applications_console:detail", args=[app.pk])
    except Exception:  # noqa: BLE001 — the console URLs load with Wagtail's; a link is optional
        return ""


def notify_applicant(app: Application, subject: str, body: str, *, actor,
                     channels: Iterable[str] = APPLICANT_CHANNELS) -> None:
    send(app.applicant, subject=subject, body=body, channels=tuple(channels), link=public_link(app), obj=app,
         actor=actor)


def notify_staff(app: Application, action: str, subject: str, body: str, *, actor) -> None:
    recipients = [pk for pk in holder_ids(action, department=app.department) if pk != getattr(actor, "pk", None)]
    if recipients:
        send(recipients, subject=subject, body=body, channels=("inbox",), link=console_link(app), obj=app,
             actor=actor)


# ---------------------------------------------------------------- clocks

def today():
    return timezone.localdate()


def open_clock(case: TimedCase | None) -> TimedCase | None:
    if case is None:
        return None
    case.refresh_from_db()
    return case if case.is_open else None


def finish_clock(case: TimedCase | None, *, actor, withdrawn: bool = False) -> TimedCase | None:
    """Stop the clock if it still runs; the finished case (None if it had already finished)."""
    if case is None:
        return None
    return clocks.finish_open_case(case, actor=actor, withdrawn=withdrawn, today=today())


def running_clock(app: Application) -> TimedCase | None:
    """The clock that currently runs for the case: processing once accepted, else acceptance."""
    return open_clock(app.processing_case if app.processing_case_id else app.acceptance_case)
