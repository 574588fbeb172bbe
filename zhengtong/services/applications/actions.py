"""Writes of the applications app. Views, the API and the workflow engine call these.

Lifecycle: submitted → (supplementing ↔) → accepted | refused → reviewing (the engine)
→ (special_step ↔) → granted | denied; withdrawn from any open status."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.core.audit.log import record
from zhengtong.core.db.compiled import CompiledQuery
from zhengtong.core.db.nesting import joinable
from zhengtong.core.db.updates import save_fields, update_if
from zhengtong.core.permissions.checks import has_perm, require
from zhengtong.core.timelimits import actions as clocks
from zhengtong.services.applications import timeline as tl
from zhengtong.services.applications.errors import InvalidInput
from zhengtong.services.applications.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Application,
    BundleApplication,
    Channel,
    SpecialStep,
    Status,
)
from zhengtong.services.applications.registry import ACCEPT, INTAKE, PROCESSING_CASE
from zhengtong.services.applications.submit import (  # noqa: F401  (re-exported: one place to call)
    Submission,
    check_submit_application,
    check_submit_bundle,
)
from zhengtong.services.applications.supplements import (  # noqa: F401
    compute_supplement_items,
    do_answer_supplement,
    do_approve_supplement,
    do_end_special_step,
    do_request_supplement,
    do_start_special_step,
)

DECIDABLE = (Status.ACCEPTED, Status.REVIEWING)


# What an application points to and never changes once submitted: a reload keeps the objects
# the caller already loaded instead of joining their tables again (an eight-way join costs
# PostgreSQL more to plan than to run).
_FIXED = ("item_version", "department", "applicant", "bundle_application")


_STATUS = CompiledQuery(lambda pk: Application.objects.filter(pk=pk).values_list("status"))
_WITH_CLOCKS = CompiledQuery(lambda pk: Application.objects.select_related(
    "acceptance_case", "processing_case").filter(pk=pk))


def _reload(app: Application) -> Application:
    """The application as the database has it now, with its clocks."""
    fresh = _WITH_CLOCKS.get(app.pk)
    for name in _FIXED:
        field = Application._meta.get_field(name)
        if field.is_cached(app) and getattr(app, field.attname) == getattr(fresh, field.attname):
            field.set_cached_value(fresh, field.get_cached_value(app))
    return fresh


def _open_processing_clock(app: Application, *, actor) -> None:
    version, item = app.item_version, app.item_version.item
    app.processing_case = clocks.open_case(
        case_type=PROCESSING_CASE, object_type="applications.application", object_id=str(app.pk),
        title=f"{app.number} {version.name}", department=app.department, region=item.region,
        started_on=timezone.localdate(), limit_days=version.promised_days, statutory_days=version.statutory_days,
        subject_code=item.code, subject_name=version.name, party=app.applicant, handler=actor, actor=actor)
    save_fields(app, ["processing_case", "updated_at"])


@transaction.atomic
def do_accept(app: Application, *, actor) -> Application:
    """受理: exactly one clerk wins; the acceptance clock stops and the processing clock starts."""
    require(actor, ACCEPT, department=app.department)
    now = timezone.now()
    won = update_if(Application, app.pk, where={"status": Status.SUBMITTED}, values={
        "status": Status.ACCEPTED, "accepted_at": now, "accepted_by": actor, "updated_at": now})
    if not won:
        raise tl.conflict(app, _("受理"))
    app = _reload(app)
    tl.finish_clock(app.acceptance_case, actor=actor)
    _open_processing_clock(app, actor=actor)
    tl.event(app, _("受理"), actor=actor, before=Status.SUBMITTED)
    tl.audit("application.accepted", app, actor=actor, before=Status.SUBMITTED,
             due_date=app.processing_case.due_date)
    if tl.start_process(app, actor=actor) is not None:
        # The approval process runs: the case is under review until its decision task.
        update_if(Application, app.pk, where={"status": Status.ACCEPTED}, values={"status": Status.REVIEWING})
        app.status = Status.REVIEWING
    if app.bundle_application_id is None:
        tl.issue_bill(app, actor=actor)
    else:
        _bill_bundle_when_accepted(app.bundle_application, actor=actor)
    tl.notify_applicant(app, _("办件 %(number)s 已受理") % {"number": app.number},
                        _("您申请的“%(item)s”已受理，承诺 %(days)s 个工作日内办结（%(due)s 前）。")
                        % {"item": app.item_version.name, "days": app.item_version.promised_days,
                           "due": app.processing_case.due_date}, actor=actor)
    return app


def check_window_intake(version, sub: Submission, *, actor) -> tuple[Application, bool]:
    """一窗受理: a window clerk submits for a walk-in applicant (channel ``window``, the clerk as
    the one who filed it); a case with every material the clerk may accept is accepted on the
    spot, otherwise it waits in the acceptance inbox of its department. Two transactions: a
    refused acceptance leaves the submission standing. Returns the case and whether it was
    accepted."""
    require(actor, INTAKE)
    sub.channel = Channel.WINDOW
    app = check_submit_application(version, sub, actor=actor)
    if compute_supplement_items(app) or not has_perm(actor, ACCEPT, department=app.department):
        return app, False
    return do_accept(app, actor=actor), True


def _bill_bundle_when_accepted(bundle: BundleApplication, *, actor) -> None:
    """一单式收费: one bill for the bundle, once no member still waits for acceptance."""
    bundle = BundleApplication.objects.select_for_update().get(pk=bundle.pk)
    statuses = set(bundle.applications.values_list("status", flat=True))
    if statuses & {Status.SUBMITTED, Status.SUPPLEMENTING} or bundle.status != Status.SUBMITTED:
        return
    bundle.status = Status.ACCEPTED
    save_fields(bundle, ["status"])
    record("applications.bundle.accepted", actor=actor, obj=bundle, after={"status": bundle.status})
    tl.issue_bill(bundle, actor=actor)


@transaction.atomic
def do_refuse(app: Application, *, reason: str, actor) -> Application:
    """不予受理, with a mandatory reason."""
    require(actor, ACCEPT, department=app.department)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("不予受理必须说明理由"), errors={"reason": _("请填写不予受理理由")})
    before = Application.objects.filter(pk=app.pk).values_list("status", flat=True).first()
    now = timezone.now()
    won = Application.objects.filter(pk=app.pk, status__in=[Status.SUBMITTED, Status.SUPPLEMENTING]).update(
        status=Status.REFUSED, refusal_reason=reason, decided_at=now, decided_by=actor, updated_at=now)
    if not won:
        raise tl.conflict(app, _("不予受理"))
    app = _reload(app)
    tl.finish_clock(app.acceptance_case, actor=actor)
    tl.event(app, _("不予受理"), actor=actor, before=before or "", note=reason)
    tl.audit("application.refused", app, actor=actor, before=before or "", reason=reason)
    tl.notify_applicant(app, _("办件 %(number)s 不予受理") % {"number": app.number},
                        _("您申请的“%(item)s”不予受理，理由：%(reason)s")
                        % {"item": app.item_version.name, "reason": reason}, actor=actor,
                        channels=tl.DECISION_CHANNELS)
    _finish_bundle_if_done(app, actor=actor)
    return app


@joinable
def do_decide(application: Application, *, granted: bool, reason: str, actor) -> Application:
    """准予 / 不予许可. Called by the workflow engine when the decision task completes."""
    reason = (reason or "").strip()
    if not granted and not reason:
        raise InvalidInput(_("不予许可必须说明理由"), errors={"reason": _("请填写不予许可理由")})
    app = application
    before = next(iter(_STATUS.all(app.pk)), ("",))[0]
    to = Status.GRANTED if granted else Status.DENIED
    now = timezone.now()
    won = update_if(Application, app.pk, where={"status": DECIDABLE}, values={
        "status": to, "decided_at": now, "decided_by": actor, "decision_reason": reason, "updated_at": now})
    if not won:
        raise tl.conflict(app, _("作出决定"))
    app = _reload(app)
    tl.finish_clock(app.processing_case, actor=actor)
    if granted:
        tl.issue_licence(app, actor=actor)
    else:
        tl.cancel_bill(app, actor=actor, reason=_("不予许可"))
    tl.event(app, _("准予许可") if granted else _("不予许可"), actor=actor, before=before or "", note=reason)
    tl.audit("application.decided", app, actor=actor, before=before or "", granted=granted, reason=reason)
    body = (_("您申请的“%(item)s”已办结：准予许可。") if granted
            else _("您申请的“%(item)s”已办结：不予许可，理由：%(reason)s"))
    tl.notify_applicant(app, _("办件 %(number)s 已办结") % {"number": app.number},
                        body % {"item": app.item_version.name, "reason": reason}, actor=actor,
                        channels=tl.DECISION_CHANNELS)
    _finish_bundle_if_done(app, actor=actor)
    return app


def _finish_bundle_if_done(app: Application, *, actor) -> None:
    if app.bundle_application_id is None:
        return
    bundle = BundleApplication.objects.select_for_update().get(pk=app.bundle_application_id)
    statuses = list(bundle.applications.values_list("status", flat=True))
    if bundle.finished_at is not None or any(s not in CLOSED_STATUSES for s in statuses):
        return
    before = bundle.status
    if all(s == Status.GRANTED for s in statuses):
        bundle.status = Status.GRANTED
    elif all(s == Status.WITHDRAWN for s in statuses):
        bundle.status = Status.WITHDRAWN
    else:
        bundle.status = Status.DENIED
    bundle.finished_at = timezone.now()
    save_fields(bundle, ["status", "finished_at"])
    record("applications.bundle.finished", actor=actor, obj=bundle, before={"status": before},
           after={"status": bundle.status, "members": dict(bundle.applications.values_list("number", "status"))})
    tl.send(bundle.applicant, subject=_("一件事 %(number)s 已办结") % {"number": bundle.number},
            body=_("您申请的“%(name)s”各事项均已办结。") % {"name": bundle.bundle.name},
            channels=tl.DECISION_CHANNELS, link=tl.public_link(app), obj=bundle, actor=actor)


@transaction.atomic
def do_withdraw(app: Application, *, actor, reason: str = "") -> Application:
    """撤回: the applicant withdraws before the decision; clocks stop, the process is cancelled."""
    if actor is None or app.applicant_id != actor.pk:
        raise PermissionDenied(_("只有申请人本人可以撤回办件"))
    before = Application.objects.filter(pk=app.pk).values_list("status", flat=True).first()
    now = timezone.now()
    won = Application.objects.filter(pk=app.pk, status__in=OPEN_STATUSES).update(
        status=Status.WITHDRAWN, withdrawn_at=now, updated_at=now)
    if not won:
        raise tl.conflict(app, _("撤回"))
    app = _reload(app)
    SpecialStep.objects.filter(application=app, ended_on__isnull=True).update(ended_on=timezone.localdate())
    tl.finish_clock(app.acceptance_case, actor=actor, withdrawn=True)
    tl.finish_clock(app.processing_case, actor=actor, withdrawn=True)
    if app.accepted_at is not None:
        tl.cancel_process(app, actor=actor)
    tl.cancel_bill(app, actor=actor, reason=_("申请人撤回"))
    tl.event(app, _("申请人撤回"), actor=actor, before=before or "", note=reason.strip())
    tl.audit("application.withdrawn", app, actor=actor, before=before or "", reason=reason.strip())
    tl.notify_staff(app, ACCEPT, _("办件 %(number)s 已被申请人撤回") % {"number": app.number},
                    _("%(name)s 撤回了“%(item)s”的申请。") % {"name": app.applicant_name,
                                                        "item": app.item_version.name}, actor=actor)
    if app.processing_case and app.processing_case.handler_id and app.processing_case.handler_id != actor.pk:
        tl.send(app.processing_case.handler, subject=_("办件 %(number)s 已被申请人撤回") % {"number": app.number},
                body=_("您经办的办件已撤回，无需继续办理。"), link=tl.console_link(app), obj=app, actor=actor)
    _finish_bundle_if_done(app, actor=actor)
    return app


@transaction.atomic
def do_change_delivery(app: Application, *, delivery: str, address: str, actor) -> Application:
    """The applicant changes how the result is delivered, until the decision."""
    from zhengtong.services.applications.submit import check_delivery

    if actor is None or app.applicant_id != actor.pk:
        raise PermissionDenied(_("只有申请人本人可以修改送达方式"))
    delivery, address = check_delivery(delivery, address)
    app = Application.objects.select_for_update().get(pk=app.pk)
    if app.status not in OPEN_STATUSES:
        raise tl.conflict(app, _("修改送达方式"))
    before = {"delivery": app.delivery, "address": app.delivery_address}
    app.delivery, app.delivery_address = delivery, address
    save_fields(app, ["delivery", "delivery_address", "updated_at"])
    record("applications.application.delivery_changed", actor=actor, obj=app, before=before,
           after={"delivery": delivery, "address": address})
    tl.event(app, _("修改送达方式"), actor=actor, before=app.status, note=app.get_delivery_display())
    return app
