"""一次性告知 (supplement requests): they stop the running clock.

The supplement list is computed from the item version's materials against what was provided
(missing required ones, plus those the clerk marks defective) and the clerk's notes, and is
sent at once.

Who approves a second request: any further request for the same case waits for approval by
a holder of ``applications.supplement.approve`` whose data scope reaches the case's
department — built in, the department head (部门负责人 ``dept_head``) and the supervisor
(监察人员 ``supervisor``, the supervisory approval the rules ask for). Both are notified;
the first of them to decide settles it. The clock keeps running until it is approved.

Special steps (特殊环节) live in ``special_steps``; they are re-exported here for the callers
that import them from this module."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zhengtong.core.audit.log import record
from zhengtong.core.files.actions import (
    UploadRefused,
    check_upload,
    discard_on_rollback,
    do_bind_attachment,
    do_store_attachment,
)
from zhengtong.core.files.models import Attachment
from zhengtong.core.permissions.checks import require
from zhengtong.core.timelimits import actions as clocks
from zhengtong.services.applications import timeline as tl
from zhengtong.services.applications.access import APPLICATION_FILES
from zhengtong.services.applications.errors import InvalidInput
from zhengtong.services.applications.models import (
    Application,
    MaterialStatus,
    ProvidedMaterial,
    Status,
    SupplementRequest,
    SupplementStatus,
)
from zhengtong.services.applications.registry import ACCEPT, APPROVE_SUPPLEMENT
from zhengtong.services.applications.special_steps import (  # noqa: F401  (re-exported)
    do_end_special_step,
    do_start_special_step,
)
from zhengtong.services.applications.submit import own_attachment

# A listed material's problem is stored in the request's items in Chinese, whatever the
# clerk's language, and translated when shown (``{% translate it.problem %}``).
MISSING = gettext_noop("缺少")
DEFECTIVE = gettext_noop("不符合要求")
SUPPLEMENTABLE = (Status.SUBMITTED, Status.ACCEPTED, Status.REVIEWING)
HAS_FILE = (MaterialStatus.PROVIDED, MaterialStatus.ACCEPTED, MaterialStatus.SHARED)


def compute_supplement_items(app: Application, *, defective: Iterable[int] = (),
                             notes: Mapping[int, str] | None = None) -> list[dict]:
    """Every missing required material and every material marked defective, in the guide's order."""
    notes = notes or {}
    bad = {int(x) for x in defective}
    have = set(app.materials.filter(status__in=HAS_FILE).values_list("material_id", flat=True))
    items = []
    for material in app.item_version.materials.all():
        problem = ""
        if material.pk in bad:
            problem = DEFECTIVE
        elif material.required and not material.shared_source and material.pk not in have:
            problem = MISSING
        if problem:
            items.append({"material_id": material.pk, "name": material.name, "problem": problem,
                          "note": str(notes.get(material.pk, "")).strip()[:300]})
    return items


def _locked(app: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related(
        "item_version__item", "department__region", "applicant", "acceptance_case", "processing_case").get(pk=app.pk)


@transaction.atomic
def do_request_supplement(app: Application, *, items: list[dict], note: str, actor) -> SupplementRequest:
    """Save the confirmed list at once; the first request pauses the clock, a later one awaits approval."""
    require(actor, ACCEPT, department=app.department)
    app = _locked(app)
    if app.status not in SUPPLEMENTABLE:
        raise tl.conflict(app, _("发出补正告知"))
    note = (note or "").strip()
    if not items and not note:
        raise InvalidInput(_("补正清单为空：请标出需补正的材料或填写补正说明"), errors={"items": _("补正清单为空")})
    if app.supplements.filter(status=SupplementStatus.AWAITING_APPROVAL).exists():
        raise tl.StateConflict(_("已有一份补正告知等待批准"), code="awaiting_approval")
    sequence = app.supplements.count() + 1
    request = SupplementRequest.objects.create(
        application=app, sequence=sequence, items=items, note=note, requested_by=actor, return_status=app.status,
        status=SupplementStatus.OPEN if sequence == 1 else SupplementStatus.AWAITING_APPROVAL)
    record("applications.supplement.requested", actor=actor, obj=request,
           after={"number": app.number, "sequence": sequence, "items": items, "note": note,
                  "status": request.status})
    if sequence == 1:
        _open(app, request, actor=actor)
    else:
        tl.event(app, _("申请再次补正告知"), actor=actor, before=app.status, public=False,
                 note=_("第 %(n)s 次补正告知，待部门负责人或监察人员批准") % {"n": sequence})
        tl.notify_staff(app, APPROVE_SUPPLEMENT, _("办件 %(number)s 再次补正待批准") % {"number": app.number},
                        _("第 %(n)s 次补正告知须经部门负责人或监察人员批准。") % {"n": sequence}, actor=actor)
    return request


def _describe(items: list[dict], note: str) -> str:
    lines = [f"{i + 1}. {it['name']}（{_(it['problem'])}）{('：' + it['note']) if it.get('note') else ''}"
             for i, it in enumerate(items)]
    if note:
        lines.append(_("补充说明：%(note)s") % {"note": note})
    return "\n".join(lines)


def _open(app: Application, request: SupplementRequest, *, actor) -> None:
    before = app.status
    Application.objects.filter(pk=app.pk).update(status=Status.SUPPLEMENTING, updated_at=timezone.now())
    app.status = Status.SUPPLEMENTING
    defective = [it["material_id"] for it in request.items if it.get("problem") == DEFECTIVE]
    app.materials.filter(material_id__in=defective, status__in=HAS_FILE).update(status=MaterialStatus.DEFECTIVE)
    clock = tl.running_clock(app)
    if clock is not None and clock.status != "paused":
        clocks.pause_case(clock, on=max(tl.today(), clock.started_on), actor=actor,
                          reason=_("一次性告知补正（第 %(n)s 次）") % {"n": request.sequence})
    text = _describe(request.items, request.note)
    tl.event(app, _("一次性告知补正"), actor=actor, before=before, note=text)
    tl.audit("application.supplementing", app, actor=actor, before=before, sequence=request.sequence)
    tl.notify_applicant(app, _("办件 %(number)s 需要补正材料") % {"number": app.number},
                        _("请一次性补正以下材料：\n%(list)s") % {"list": text}, actor=actor)


@transaction.atomic
def do_approve_supplement(request: SupplementRequest, *, approve: bool, actor) -> SupplementRequest:
    """A department head or a supervisor in scope approves (or refuses) a second supplement request."""
    app = request.application
    require(actor, APPROVE_SUPPLEMENT, department=app.department)
    to = SupplementStatus.OPEN if approve else SupplementStatus.REJECTED
    won = SupplementRequest.objects.filter(pk=request.pk, status=SupplementStatus.AWAITING_APPROVAL).update(
        status=to, approved_by=actor)
    if not won:
        raise tl.StateConflict(_("该补正告知不在待批准状态"), code="wrong_state")
    request.refresh_from_db()
    app = _locked(app)
    record("applications.supplement.approved" if approve else "applications.supplement.rejected", actor=actor,
           obj=request, after={"number": app.number, "sequence": request.sequence, "status": request.status})
    if approve:
        if app.status not in SUPPLEMENTABLE:
            raise tl.conflict(app, _("发出补正告知"))
        request.return_status = app.status
        request.save(update_fields=["return_status"])
        _open(app, request, actor=actor)
    else:
        tl.event(app, _("再次补正告知未获批准"), actor=actor, before=app.status, public=False)
        tl.send(request.requested_by, subject=_("办件 %(number)s 再次补正未获批准") % {"number": app.number},
                body=_("请继续办理该办件。"), link=tl.console_link(app), obj=app, actor=actor)
    return request


def _check_answer_files(request: SupplementRequest, uploads: Mapping[str, UploadedFile],
                        attachment_ids: Mapping[str, int], actor) -> dict:
    needed = {f"m{it['material_id']}": it for it in request.items if it.get("material_id")}
    given = set(uploads) | set(attachment_ids)
    if given - set(needed):
        raise InvalidInput(_("提交了不在补正清单中的材料"))
    missing = {key: it["name"] for key, it in needed.items() if key not in given}
    if missing:
        raise InvalidInput(_("请补正全部材料，尚缺：%(names)s") % {"names": "、".join(missing.values())},
                           errors={key: _("请上传") for key in missing}, code="incomplete")
    checked: dict = {}
    for key, upload in uploads.items():
        try:
            checked[key] = (needed[key], check_upload(upload))
        except UploadRefused as exc:
            raise InvalidInput(f"{needed[key]['name']}：{exc.message}", errors={key: exc.message},
                               code=exc.code) from exc
    for key, attachment_id in attachment_ids.items():
        if key not in checked:
            checked[key] = (needed[key], own_attachment(attachment_id, actor, request.application.applicant))
    return checked


def do_answer_supplement(request: SupplementRequest, *, uploads: Mapping[str, UploadedFile] | None = None,
                         attachment_ids: Mapping[str, int] | None = None, note: str = "",
                         actor) -> SupplementRequest:
    """The applicant supplements every listed material at once; the clock resumes."""
    app = request.application
    if actor is None or app.applicant_id != actor.pk:
        raise PermissionDenied(_("只有申请人本人可以补正材料"))
    checked = _check_answer_files(request, uploads or {}, attachment_ids or {}, actor)
    stored: list = []
    try:
        with transaction.atomic():
            _answer(request, checked, stored, note=note, actor=actor)
    except BaseException:
        for att in stored:
            discard_on_rollback(att)
        raise
    request.refresh_from_db()
    return request


def _file_for(given, app: Application, stored: list, actor) -> Attachment:
    if isinstance(given, Attachment):
        do_bind_attachment(given, object_type=APPLICATION_FILES, object_id=str(app.pk), actor=actor)
        return given
    att = do_store_attachment(given, actor=actor, object_type=APPLICATION_FILES, object_id=str(app.pk))
    stored.append(att)
    return att


def _answer(request: SupplementRequest, checked: dict, stored: list, *, note: str, actor) -> None:
    won = SupplementRequest.objects.filter(pk=request.pk, status=SupplementStatus.OPEN).update(
        status=SupplementStatus.ANSWERED, answered_at=timezone.now())
    app = _locked(request.application)
    if not won or app.status != Status.SUPPLEMENTING:
        raise tl.StateConflict(_("该补正告知已补正或已失效"), code="wrong_state")
    for item, given in checked.values():
        ProvidedMaterial.objects.create(application=app, material_id=item["material_id"], name=item["name"],
                                        attachment=_file_for(given, app, stored, actor),
                                        status=MaterialStatus.PROVIDED, note=_("补正提交"))
    back = request.return_status or (Status.ACCEPTED if app.accepted_at else Status.SUBMITTED)
    Application.objects.filter(pk=app.pk).update(status=back, updated_at=timezone.now())
    app.status = back
    clock = tl.running_clock(app)
    if clock is not None and clock.status == "paused":
        clocks.resume_case(clock, on=max(tl.today(), clock.started_on), actor=actor)
    tl.event(app, _("申请人补正"), actor=actor, before=Status.SUPPLEMENTING, note=(note or "").strip())
    tl.audit("application.supplemented", app, actor=actor, before=Status.SUPPLEMENTING,
             sequence=request.sequence, files=len(checked))
    tl.notify_staff(app, ACCEPT, _("办件 %(number)s 已补正") % {"number": app.number},
                    _("申请人已按一次性告知补正材料，请继续办理。"), actor=actor)
