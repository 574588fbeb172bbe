"""特殊环节 (special steps): hearings, on-site inspections, expert reviews, testing, public notices.

**Checked against the item.** The item version lists its special steps in the guide
(``ItemVersion.special_steps`` = ``[{"name", "max_days", "basis"}]``). Staff choose a *kind*
(``SpecialStepKind``); a kind may be started only when the guide lists a step of that kind,
else the start is refused (400). A listed name maps to a kind by ``step_kind``: the kind's
own label first (听证, 现场核查, 专家评审, 检验检测, 公示), otherwise the first kind whose key
words the name contains, in this order: 公示/公告 → public notice; 听证 → hearing; 检验, 检测,
检疫, 鉴定 → testing; 专家, 评审, 评议, 评估, 论证 → expert review; 核查, 检查, 勘查, 勘验,
踏勘, 核实, 现场, 实地, 调查 → inspection. So 现场检查 is an inspection, 技术评估 and 现场评审
are expert reviews, 规划方案批前公示 is a public notice, and a waiting period such as
离婚冷静期 matches no kind (it is not a special step staff start). When the guide lists two
steps of one kind, the caller may name the one meant; otherwise the first listed is used.

**Latest end.** The step must end within the listed ``max_days`` working days: the latest
end is ``start + max_days`` working days (``core.calendar``), recorded on the step. Past it,
the step shows as overrun wherever it is displayed (computed from the calendar each time,
so it is never stale), and the daily job ``tasks.warn_special_step_overruns`` warns the
handlers once.

**Clocks.** A special step does not count towards any time limit: starting it pauses every
open clock of the case — the processing clock and the clocks of the approval tasks still
open — and ending it resumes exactly the clocks it paused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.core.calendar import days
from zhengtong.core.permissions.checks import require
from zhengtong.core.timelimits import actions as clocks
from zhengtong.core.timelimits.models import TimedCase
from zhengtong.lib.labels import source_text
from zhengtong.services.applications import timeline as tl
from zhengtong.services.applications.errors import InvalidInput
from zhengtong.services.applications.models import Application, SpecialStep, SpecialStepKind, Status
from zhengtong.services.applications.registry import SPECIAL_STEP

STARTABLE = (Status.ACCEPTED, Status.REVIEWING)

# Key words of each kind, in the order they are tried (the more specific kinds first).
KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (SpecialStepKind.PUBLIC_NOTICE, ("公示", "公告")),
    (SpecialStepKind.HEARING, ("听证",)),
    (SpecialStepKind.TESTING, ("检验", "检测", "检疫", "鉴定")),
    (SpecialStepKind.EXPERT_REVIEW, ("专家", "评审", "评议", "评估", "论证")),
    (SpecialStepKind.INSPECTION, ("核查", "检查", "勘查", "勘验", "踏勘", "核实", "现场", "实地", "调查")),
)


@dataclass(frozen=True)
class ListedStep:
    """A special step as the item's guide lists it, with the kind it maps to."""

    kind: str
    name: str
    max_days: int
    basis: str

    @property
    def kind_label(self) -> str:
        return str(SpecialStepKind(self.kind).label)

    @property
    def value(self) -> str:
        """What the console's choice posts: ``kind:name`` (a kind never contains a colon)."""
        return f"{self.kind}:{self.name}"


def step_kind(name: str) -> str | None:
    """The kind a guide's step name stands for, or None (see the module docstring)."""
    name = (name or "").strip()
    for kind in SpecialStepKind:
        if name == source_text(kind.label):  # guides are written in Chinese, whatever the reader's language
            return kind.value
    for kind, words in KIND_WORDS:
        if any(word in name for word in words):
            return kind
    return None


def listed_steps(version) -> list[ListedStep]:
    """The version's special steps that staff may start, in the guide's order."""
    found = []
    for raw in version.special_steps or []:
        if not isinstance(raw, dict):
            continue
        name = str(raw.get("name", "")).strip()
        try:
            max_days = int(raw.get("max_days"))
        except (TypeError, ValueError):
            continue
        kind = step_kind(name)
        if kind is not None and max_days > 0:
            found.append(ListedStep(kind, name[:100], max_days, str(raw.get("basis", "")).strip()))
    return found


def allowed_step(app: Application, kind: str, name: str = "") -> ListedStep:
    """The guide's step for ``kind`` (and ``name``, when given), or the 400 refusal."""
    if kind not in SpecialStepKind.values:
        raise InvalidInput(_("请选择特殊环节类型"), errors={"kind": _("请选择特殊环节类型")})
    label = SpecialStepKind(kind).label
    candidates = [s for s in listed_steps(app.item_version) if s.kind == kind]
    name = (name or "").strip()
    if name:
        candidates = [s for s in candidates if s.name == name]
    if candidates:
        return candidates[0]
    listed = "、".join(s.name for s in listed_steps(app.item_version)) or _("无")
    if name:
        message = _("事项“%(item)s”的办事指南未列明“%(name)s”这一%(kind)s环节（指南所列特殊环节：%(listed)s）") % {
            "item": app.item_version.name, "name": name, "kind": label, "listed": listed}
    else:
        message = _("事项“%(item)s”的办事指南未列明“%(kind)s”环节，不能启动（指南所列特殊环节：%(listed)s）") % {
            "item": app.item_version.name, "kind": label, "listed": listed}
    raise InvalidInput(message, errors={"kind": message}, code="not_listed")


def latest_end(started_on: date, max_days: int) -> date:
    """The ``max_days``-th working day after the start (the start day itself is not counted)."""
    return days.add_working_days(started_on, max_days)


def open_clocks(app: Application) -> list[TimedCase]:
    """Every clock of the case still running or paused: the processing clock and the clocks
    of the approval tasks (the workflow finishes a task's clock when the task closes)."""
    ids = [app.processing_case_id] if app.processing_case_id else []
    tasks = getattr(app, "work_tasks", None)
    if tasks is not None:
        ids += [pk for pk in tasks.exclude(timed_case__isnull=True).values_list("timed_case_id", flat=True)]
    return list(TimedCase.objects.open().filter(pk__in=ids).order_by("pk"))


def _locked(app: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related(
        "item_version__item", "department__region", "applicant", "processing_case").get(pk=app.pk)


@transaction.atomic
def do_start_special_step(app: Application, *, kind: str, note: str, actor, on: date | None = None,
                          name: str = "") -> SpecialStep:
    """Start a special step the item's guide lists; every open clock of the case pauses."""
    require(actor, SPECIAL_STEP, department=app.department)
    if kind not in SpecialStepKind.values:
        raise InvalidInput(_("请选择特殊环节类型"), errors={"kind": _("请选择特殊环节类型")})
    app = _locked(app)
    if app.status not in STARTABLE:
        raise tl.conflict(app, _("启动特殊环节"))
    listed = allowed_step(app, kind, name)
    on = on or tl.today()
    step = SpecialStep.objects.create(
        application=app, kind=kind, name=listed.name, max_days=listed.max_days, basis=listed.basis, started_on=on,
        planned_end_on=latest_end(on, listed.max_days), note=(note or "").strip(), recorded_by=actor,
        return_status=app.status)
    before = app.status
    Application.objects.filter(pk=app.pk).update(status=Status.SPECIAL_STEP, updated_at=timezone.now())
    app.status = Status.SPECIAL_STEP
    pauses = clocks.pause_cases(open_clocks(app), on=on, reason=step.label[:200], actor=actor)
    step.paused_clocks.set([p.case_id for p in pauses])
    limit = _("不超过 %(days)s 个工作日，最迟 %(end)s 结束") % {"days": listed.max_days, "end": step.planned_end_on}
    tl.event(app, _("特殊环节：%(kind)s") % {"kind": step.label}, actor=actor, before=before,
             note=_("%(limit)s；特殊环节期间不计入办理时限") % {"limit": limit})
    tl.audit("application.special_step_started", app, actor=actor, before=before, kind=kind, name=listed.name,
             max_days=listed.max_days, planned_end_on=step.planned_end_on.isoformat(),
             paused_clocks=[p.case_id for p in pauses])
    tl.notify_applicant(app, _("办件 %(number)s 进入特殊环节") % {"number": app.number},
                        _("您的办件进入“%(kind)s”环节（%(limit)s），该环节所需时间不计入办理时限。")
                        % {"kind": step.label, "limit": limit}, actor=actor)
    return step


def hold_new_clock(app: Application, case: TimedCase, *, actor) -> None:
    """A clock opened while the case is in a special step (a task the engine opened meanwhile)
    stops at once and joins the step's clocks, so ending the step resumes it with the rest."""
    if app.status != Status.SPECIAL_STEP:
        return
    step = SpecialStep.objects.filter(application=app, ended_on__isnull=True).order_by("-pk").first()
    if step is None:
        return
    pauses = clocks.pause_cases([case], on=tl.today(), reason=step.label[:200], actor=actor)
    step.paused_clocks.add(*[p.case_id for p in pauses])


@transaction.atomic
def do_end_special_step(step: SpecialStep, *, note: str, actor, on: date | None = None) -> SpecialStep:
    """End the special step; the clocks it paused resume."""
    app = step.application
    require(actor, SPECIAL_STEP, department=app.department)
    on = on or tl.today()
    if on < step.started_on:
        raise InvalidInput(_("结束日期不能早于开始日期"))
    note = (note or "").strip()
    won = SpecialStep.objects.filter(pk=step.pk, ended_on__isnull=True).update(
        ended_on=on, note=((step.note + "\n" + note).strip() if note else step.note))
    app = _locked(app)
    if not won or app.status != Status.SPECIAL_STEP:
        raise tl.StateConflict(_("该特殊环节已结束"), code="wrong_state")
    step.refresh_from_db()
    back = step.return_status or Status.REVIEWING
    Application.objects.filter(pk=app.pk).update(status=back, updated_at=timezone.now())
    app.status = back
    paused = list(step.paused_clocks.all()) or [c for c in [app.processing_case] if c is not None]
    resumed = clocks.resume_cases(paused, on=on, actor=actor)
    _follow_task_due_dates(app, resumed)
    overrun = step.overrun_days()
    text = note
    if overrun:
        text = (_("超出办事指南规定时限 %(n)s 个工作日") % {"n": overrun} + ("；" + note if note else ""))
    tl.event(app, _("特殊环节结束：%(kind)s") % {"kind": step.label}, actor=actor, before=Status.SPECIAL_STEP,
             note=text)
    tl.audit("application.special_step_ended", app, actor=actor, before=Status.SPECIAL_STEP, kind=step.kind,
             ended_on=on.isoformat(), overrun_days=overrun, resumed_clocks=[c.pk for c in resumed])
    clock = tl.open_clock(app.processing_case)
    tl.notify_applicant(app, _("办件 %(number)s 特殊环节已结束") % {"number": app.number},
                        _("“%(kind)s”环节已结束，办件恢复计时，办结期限 %(due)s。")
                        % {"kind": step.label, "due": clock.due_date if clock else "—"}, actor=actor)
    return step


def _follow_task_due_dates(app: Application, resumed: list[TimedCase]) -> None:
    """An approval task carries its clock's due date for its inbox; keep the two equal after
    the pause moved the clock's date."""
    tasks = getattr(app, "work_tasks", None)
    if tasks is None:
        return
    for case in resumed:
        tasks.filter(timed_case_id=case.pk).exclude(due_date=case.due_date).update(due_date=case.due_date)
