"""Background work of the applications app."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.services.applications import timeline as tl
from zhengtong.services.applications.models import SpecialStep, Status


def warn_special_step_overruns(today: date | None = None) -> int:
    """The daily job: warn the handlers of each special step run past its latest end, once.

    Idempotent (a step is marked when warned); returns how many steps were warned."""
    today = today or timezone.localdate()
    due = (SpecialStep.objects.filter(ended_on__isnull=True, overrun_warned_on__isnull=True,
                                      planned_end_on__lt=today, application__status=Status.SPECIAL_STEP)
           .select_related("application__item_version", "application__processing_case__handler", "recorded_by")
           .order_by("pk"))
    warned = 0
    for step in due:
        if step.overrun_days(today) > 0:
            warned += _warn(step, today)
    return warned


@transaction.atomic
def _warn(step: SpecialStep, today: date) -> int:
    if not SpecialStep.objects.filter(pk=step.pk, overrun_warned_on__isnull=True).update(overrun_warned_on=today):
        return 0  # another run warned it first
    app = step.application
    overrun = step.overrun_days(today)
    text = (_("“%(kind)s”环节最迟应于 %(end)s 结束（办事指南规定不超过 %(days)s 个工作日），已超期 %(n)s 个工作日。")
            % {"kind": step.label, "end": step.planned_end_on, "days": step.max_days, "n": overrun})
    tl.event(app, _("特殊环节超期：%(kind)s") % {"kind": step.label}, actor=None, before=app.status, note=text,
             public=False)
    tl.audit("application.special_step_overrun", app, actor=None, before=app.status, kind=step.kind,
             planned_end_on=step.planned_end_on.isoformat(), overrun_days=overrun)
    handler = app.processing_case.handler if app.processing_case_id else None
    recipients = list({u.pk: u for u in (step.recorded_by, handler) if u is not None and u.is_active}.values())
    if recipients:
        tl.send(recipients, subject=_("办件 %(number)s 特殊环节已超期") % {"number": app.number}, body=text,
                channels=("inbox", "sms"), link=tl.console_link(app), obj=app)
    return 1
