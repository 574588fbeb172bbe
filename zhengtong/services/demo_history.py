"""Historical demo data (办件历史): ~3000 × scale applications of 示范市 over the last twelve
months, with their clocks (补正 and special-step pauses), timelines, materials and bills, and
the rows supervision would have written (``CaseOutcome``, invitations, 好差评 and follow-ups,
warnings, monthly scorecards). ~150 × scale are still open; accepted open ones get a real
approval process (``workflow.engine.start_process``). The past is bulk-inserted: no signal
fires and nobody is notified about it. Fixed seed: a scale on a given day yields the same rows.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from zhengtong.core.accounts.models import User, UserKind
from zhengtong.core.audit.log import record
from zhengtong.core.calendar import days
from zhengtong.core.org.models import Department
from zhengtong.core.permissions.models import Grant
from zhengtong.core.timelimits import deadlines
from zhengtong.core.timelimits.models import CasePause, CaseStatus, TimedCase
from zhengtong.core.timelimits.registry import yellow_days_for
from zhengtong.lib.labels import source_text
from zhengtong.services.applications import models as am
from zhengtong.services.applications.models import Application, Channel, SpecialStepKind, Status
from zhengtong.services.applications.numbers import format_number
from zhengtong.services.applications.registry import ACCEPTANCE_CASE, PROCESSING_CASE
from zhengtong.services.billing import models as bm
from zhengtong.services.catalog.models import ServiceItem
from zhengtong.services.workflow.engine import WorkflowError, start_process
from zhengtong.supervision import models as sv
from zhengtong.supervision.handlers import working_days_used
from zhengtong.supervision.registry import FOLLOW_UP_CASE, is_rated
from zhengtong.supervision.scorecards import compute_scorecards, month_start, previous_month

TOTAL, OPEN = 3000, 150
OBJECT_TYPE = "applications.application"
NOTE = "历史数据"
# Open cases cycle through this pattern, so even a small load has red and yellow ones.
OPEN_PATTERN = ("review:red", "review:yellow", "review:normal", "submit:normal", "review:normal", "submit:red",
                "supplement:acceptance", "review:normal", "review:yellow", "special", "review:normal",
                "submit:yellow", "review:normal", "supplement:processing", "review:red", "review:normal",
                "submit:normal", "review:normal", "review:yellow", "review:normal")
REFUSALS = ("申请事项依法不需要取得行政许可", "申请事项不属于本机关职权范围，已告知向有关行政机关申请",
            "申请人不具备申请资格：经营场所不在本市行政区域内", "申请材料存在虚假内容，依法不予受理")
DENIALS = ("经现场核查，经营场所布局与申请材料不符，不符合许可条件", "申请人未能提供符合要求的专业技术人员证明",
           "经审查，申请事项不符合相关规划要求", "公示期间收到实名异议，经核实异议成立",
           "经核查，申请人家庭经济状况不符合规定条件")
SUPPLEMENT_NOTES = ("复印件不清晰，请重新提供", "缺少法定代表人签字", "证明材料已过有效期", "平面图未标注尺寸")
GOOD_COMMENTS = ("办理速度快，工作人员很耐心", "网上就能办，一次都没跑", "材料一次性告知清楚，点赞", "",
                 "", "", "窗口服务热情周到", "比承诺时间还提前办好了")
MIDDLE_COMMENTS = ("整体还可以，等待时间稍长", "", "网上填报的表格有点复杂")
BAD_COMMENTS = ("超过承诺时限还没办好，多次催问无果", "补正材料的要求前后不一致，来回跑了两趟",
                "咨询电话一直打不通", "窗口人员态度生硬")
STEP_NOTES = {"contact": "已电话回访申请人，了解差评原因", "verify": "经调阅办件记录核实",
              "rectify": "已对经办人员进行提醒谈话，优化一次性告知模板"}


# ---------------------------------------------------------------- context: who and what

@dataclass
class Item:
    item: ServiceItem
    weight: float
    materials: list = field(default_factory=list)
    fees: list = field(default_factory=list)  # [(name, amount, basis)] with amount > 0
    steps: list = field(default_factory=list)  # [(kind, max_days)]

    @property
    def version(self):
        return self.item.current


@dataclass
class Ctx:
    today: date
    now: datetime
    rng: random.Random
    items: list[Item]
    citizens: list[User]
    enterprises: list[User]
    clerks: list[User]
    deciders: dict[int, list[User]]
    heads: dict[int, list[User]]
    workdays: list[date]

    def applicant_for(self, it: Item) -> User:
        audience = it.version.audience
        firms = self.enterprises if audience == "enterprise" or (audience == "both" and self.rng.random() < .3) \
            else []
        return self.rng.choice(firms or self.citizens)

    def wd(self, d: date, n: int) -> date:
        return days.add_working_days(d, n) if n >= 0 else days.subtract_working_days(d, -n)


def _ancestors(dept: Department, by_id: dict[int, Department]) -> list[int]:
    chain, node = [], dept
    while node is not None:
        chain.append(node.pk)
        node = by_id.get(node.parent_id) if node.parent_id else None
    return chain


def _staff_for(role_codes: tuple[str, ...], depts: set[int], by_id: dict[int, Department],
               fallback: str) -> dict[int, list[User]]:
    users = [g.user for g in Grant.objects.active().filter(role__code__in=role_codes, user__is_active=True)
             .select_related("user").order_by("user__username")]
    spare = list(User.objects.filter(username=fallback)) or users[:1]
    found: dict[int, list[User]] = {}
    for dept_id in depts:
        chain = set(_ancestors(by_id[dept_id], by_id))
        found[dept_id] = [u for u in users if u.department_id and (
            u.department_id in chain or dept_id in _ancestors(by_id[u.department_id], by_id))] or spare
    return found


def _item_weights(items: list[ServiceItem], rng: random.Random) -> list[float]:
    order = list(range(len(items)))
    rng.shuffle(order)
    weights = [0.0] * len(items)
    for rank, index in enumerate(order):
        version = items[index].current
        boost = 1.6 if version.audience == "citizen" else 1.0
        boost *= 0.4 if version.promised_days >= 30 else 1.0
        weights[index] = boost / (rank + 1) ** 0.8
    return weights


STEP_WORDS = ((("公示",), SpecialStepKind.PUBLIC_NOTICE), (("听证",), SpecialStepKind.HEARING),
              (("检验", "检测"), SpecialStepKind.TESTING), (("专家", "评审", "评议", "评估", "论证"), SpecialStepKind.EXPERT_REVIEW))


def _step_kind(name: str) -> str | None:
    """The special-step kind of a guide's step; a waiting period (冷静期) is none."""
    found = [kind for words, kind in STEP_WORDS if any(w in name for w in words)]
    return None if "冷静期" in name else (found or [SpecialStepKind.INSPECTION])[0]


def _context(today: date, rng: random.Random) -> Ctx | None:
    items = list(ServiceItem.objects.filter(current__isnull=False, current__status="published")
                 .select_related("current", "department", "region").prefetch_related("current__materials")
                 .order_by("code"))
    citizens = list(User.objects.filter(kind=UserKind.CITIZEN, citizen__isnull=False, is_active=True)
                    .select_related("citizen").order_by("username"))
    if not items or not citizens:
        return None
    enterprises = list(User.objects.filter(kind=UserKind.ENTERPRISE, enterprise__isnull=False, is_active=True)
                       .select_related("enterprise").order_by("username"))
    by_id = {d.pk: d for d in Department.objects.all()}
    dept_ids = {i.department_id for i in items}
    wrapped = []
    for item, weight in zip(items, _item_weights(items, rng), strict=True):
        version = item.current
        fees = [(str(f.get("name", "费用"))[:100], Decimal(str(f.get("amount") or "0")), str(f.get("basis", "")))
                for f in version.fees or []]
        steps = [(k, max(1, int(s.get("max_days") or 5))) for s in version.special_steps or []
                 if (k := _step_kind(str(s.get("name", ""))))]
        wrapped.append(Item(item, weight, list(version.materials.all()), [f for f in fees if f[1] > 0], steps))
    clerks = [g.user for g in Grant.objects.active().filter(role__code="clerk", user__is_active=True)
              .select_related("user").order_by("user__username")] or list(User.objects.filter(kind="staff")[:1])
    start = today - timedelta(days=365)
    workdays = [start + timedelta(days=n) for n in range(366) if days.is_workday(start + timedelta(days=n))]
    return Ctx(today=today, now=timezone.now(), rng=rng, items=wrapped, citizens=citizens, enterprises=enterprises,
               clerks=clerks, deciders=_staff_for(("approver", "dept_head"), dept_ids, by_id, "approver"),
               heads=_staff_for(("dept_head",), dept_ids, by_id, "head"), workdays=workdays)


# ---------------------------------------------------------------- plans (pure, no database)

@dataclass
class Clock:
    """One TimedCase to be: its facts; ``pauses`` may end with an open one (end None)."""

    kind: str
    started: date
    limit: int
    statutory: int | None = None
    pauses: list[tuple[date, date | None, str]] = field(default_factory=list)
    finished: date | None = None
    handler: User | None = None
    row: TimedCase | None = None


@dataclass
class Plan:
    it: Item
    applicant: User
    channel: str
    clerk: User
    submitted: date
    status: str = Status.GRANTED
    accepted: date | None = None
    ended: date | None = None  # decision, refusal or withdrawal
    reason: str = ""
    supplement: tuple[str, date, date | None] | None = None  # (stage, requested, answered)
    special: tuple[str, date, date | None] | None = None  # (kind, started, ended)
    acceptance: Clock | None = None
    processing: Clock | None = None
    decider: User | None = None
    events: list[tuple[date, str, str, str, Any, str, bool]] = field(default_factory=list)
    event_times: list[datetime] = field(default_factory=list)
    app: Application | None = None


def _deadline(c: Clock, kind_code: str) -> deadlines.Deadline:
    closed = [(s, e) for s, e, _r in c.pauses if e is not None]
    return deadlines.compute(started_on=c.started, limit_days=c.limit, unit=deadlines.WORKING, pauses=closed,
                             yellow_days=yellow_days_for(kind_code), statutory_days=c.statutory)


def _pick_item(ctx: Ctx, want_steps: bool = False) -> Item:
    pool = [i for i in ctx.items if i.steps] if want_steps else ctx.items
    pool = pool or ctx.items
    return ctx.rng.choices(pool, weights=[i.weight for i in pool])[0]


def _new_plan(ctx: Ctx, it: Item, submitted: date) -> Plan:
    r = ctx.rng
    return Plan(it=it, applicant=ctx.applicant_for(it), channel=Channel.WINDOW if r.random() < .3 else Channel.ONLINE,
                clerk=r.choice(ctx.clerks), submitted=submitted, decider=r.choice(ctx.deciders[it.item.department_id]))


def _acceptance_stage(ctx: Ctx, p: Plan, *, supplement: bool) -> date:
    """Submission to acceptance (or refusal/withdrawal day); returns that day."""
    r, v = ctx.rng, p.it.version
    p.acceptance = Clock(ACCEPTANCE_CASE, p.submitted, v.acceptance_days)
    day = p.submitted
    if supplement:
        asked = ctx.wd(day, r.choice((0, 1, 1, 2)))
        answered = ctx.wd(asked, r.randint(1, 7))
        p.supplement = ("acceptance", asked, answered)
        p.acceptance.pauses.append((asked, answered, "一次性告知补正（第 1 次）"))
        day = answered
    return ctx.wd(day, r.choices((0, 1, 2, 3), weights=(45, 30, 15, 10))[0])


def _processing_stage(ctx: Ctx, p: Plan, *, supplement: bool, special: bool, late: bool,
                      withdraw: bool = False) -> None:
    r, v = ctx.rng, p.it.version
    start = p.accepted
    c = p.processing = Clock(PROCESSING_CASE, start, v.promised_days, v.statutory_days, handler=p.clerk)
    cursor, room = start, max(0, v.promised_days // 2)
    if supplement:
        asked = ctx.wd(start, r.randint(0, room))
        answered = ctx.wd(asked, r.randint(1, 8))
        p.supplement = ("processing", asked, answered)
        c.pauses.append((asked, answered, "一次性告知补正（第 1 次）"))
        cursor, room = answered, 0
    if special and p.it.steps:
        kind, max_days = r.choice(p.it.steps)
        begun = ctx.wd(cursor, r.randint(0, room))
        ended = ctx.wd(begun, r.randint(max(1, max_days // 3), max_days))
        p.special = (kind, begun, ended)
        c.pauses.append((begun, ended, source_text(SpecialStepKind(kind).label)))
        cursor = ended
    due = _deadline(c, PROCESSING_CASE).due_date
    if withdraw:
        finish = max(cursor, ctx.wd(start, r.randint(0, max(0, v.promised_days - 1))))
    elif late:
        finish = max(cursor, ctx.wd(due, r.randint(1, 8)))
    else:
        used = r.randint(v.promised_days * 2 // 10, v.promised_days)
        finish = max(cursor, ctx.wd(start, used + sum(days.working_days_between(s, e) for s, e, _r in c.pauses)))
    c.finished = p.ended = min(finish, due) if not late else finish


def _final_plan(ctx: Ctx, it: Item, submitted: date) -> Plan:
    r = ctx.rng
    p = _new_plan(ctx, it, submitted)
    roll = r.random()
    outcome = ("refused" if roll < .03 else "withdrawn" if roll < .05 else "denied" if roll < .10 else "granted")
    supplement = r.random() < 0.15
    at_acceptance = supplement and (outcome == "refused" or r.random() < 0.5)
    day = _acceptance_stage(ctx, p, supplement=at_acceptance)
    if outcome == "refused" or (outcome == "withdrawn" and r.random() < 0.5):
        p.status = Status.REFUSED if outcome == "refused" else Status.WITHDRAWN
        p.reason = r.choice(REFUSALS) if outcome == "refused" else ""
        p.ended = p.acceptance.finished = day
        return p
    p.accepted = p.acceptance.finished = day
    special = bool(it.steps) and r.random() < 0.35
    _processing_stage(ctx, p, supplement=supplement and not at_acceptance, special=special,
                      late=outcome != "withdrawn" and r.random() < 0.08, withdraw=outcome == "withdrawn")
    p.status = {"granted": Status.GRANTED, "denied": Status.DENIED, "withdrawn": Status.WITHDRAWN}[outcome]
    p.reason = r.choice(DENIALS) if outcome == "denied" else ""
    return p


def final_plans(ctx: Ctx, count: int) -> list[Plan]:
    plans, latest = [], len(ctx.workdays) - 1
    for _ in range(count):
        it = _pick_item(ctx)
        for attempt in range(12):
            # Retry earlier until the whole case (and a rating a few days later) is in the past.
            hi = max(0, latest - (0 if attempt < 6 else 5 * it.version.statutory_days))
            plan = _final_plan(ctx, it, ctx.workdays[ctx.rng.randint(0, hi)])
            if (plan.ended or plan.submitted) <= ctx.today - timedelta(days=7):
                break
        plans.append(plan)
    return plans


def _open_review(ctx: Ctx, p: Plan, colour: str) -> None:
    r, v = ctx.rng, p.it.version
    y, promised = yellow_days_for(PROCESSING_CASE), v.promised_days
    back = {"red": promised + r.randint(1, 5), "yellow": promised - r.randint(0, min(y, promised)),
            "normal": promised - r.randint(min(y + 1, promised), promised)}[colour]
    p.accepted = ctx.wd(ctx.today, -back) if back > 0 else ctx.today
    p.submitted = ctx.wd(p.accepted, -r.choice((0, 0, 1, 2)))
    p.acceptance = Clock(ACCEPTANCE_CASE, p.submitted, v.acceptance_days, finished=p.accepted)
    p.processing = Clock(PROCESSING_CASE, p.accepted, promised, v.statutory_days, handler=p.clerk)
    p.status = Status.REVIEWING


def _open_plan(ctx: Ctx, shape: str) -> Plan:
    r = ctx.rng
    kind, _sep, colour = shape.partition(":")
    it = _pick_item(ctx, want_steps=kind == "special")
    p = _new_plan(ctx, it, ctx.today)
    v = it.version
    if kind == "submit":
        a = v.acceptance_days
        back = {"red": a + r.randint(1, 3), "yellow": a - r.randint(0, min(2, a)), "normal": r.randint(0, 1)}[colour]
        p.submitted = ctx.wd(ctx.today, -back) if back > 0 else ctx.today
        p.acceptance, p.status = Clock(ACCEPTANCE_CASE, p.submitted, a), Status.SUBMITTED
    elif kind == "supplement" and colour == "acceptance":
        p.submitted = ctx.wd(ctx.today, -r.randint(2, 4))
        asked = ctx.wd(p.submitted, 1)
        p.acceptance, p.status = Clock(ACCEPTANCE_CASE, p.submitted, v.acceptance_days), Status.SUPPLEMENTING
        p.acceptance.pauses.append((asked, None, "一次性告知补正（第 1 次）"))
        p.supplement = ("acceptance", asked, None)
    else:
        _open_review(ctx, p, "normal" if kind in ("supplement", "special") else colour)
        if kind in ("supplement", "special"):
            began = max(p.accepted, ctx.wd(ctx.today, -r.randint(1, 3)))
            label = "一次性告知补正（第 1 次）"
            if kind == "special" and it.steps:
                p.special = (it.steps[0][0], began, None)
                label, p.status = source_text(SpecialStepKind(it.steps[0][0]).label), Status.SPECIAL_STEP
            else:
                p.supplement, p.status = ("processing", began, None), Status.SUPPLEMENTING
            p.processing.pauses.append((began, None, label))
    return p


def open_plans(ctx: Ctx, count: int) -> list[Plan]:
    return [_open_plan(ctx, OPEN_PATTERN[i % len(OPEN_PATTERN)]) for i in range(count)]


# ---------------------------------------------------------------- timeline of a plan

def _timeline(ctx: Ctx, p: Plan) -> None:
    """(day, action, from, to, actor, note, public) in order; statuses as the real actions set them."""
    ev, sub = p.events, p.supplement
    ev.append((p.submitted, "申报", "", Status.SUBMITTED, p.clerk if p.channel == Channel.WINDOW else p.applicant,
               source_text(Channel(p.channel).label), True))
    stage_status = Status.SUBMITTED
    if sub and sub[0] == "acceptance":
        _supplement_events(p, sub, Status.SUBMITTED)
    if p.accepted:
        ev.append((p.accepted, "受理", Status.SUBMITTED, Status.ACCEPTED, p.clerk, "", True))
        stage_status = Status.REVIEWING
        if sub and sub[0] == "processing":
            _supplement_events(p, sub, Status.REVIEWING)
        if p.special:
            kind, begun, ended = p.special
            label = source_text(SpecialStepKind(kind).label)
            ev.append((begun, f"特殊环节：{label}", Status.REVIEWING, Status.SPECIAL_STEP, p.decider,
                       "特殊环节期间不计入办理时限", True))
            if ended:
                ev.append((ended, f"特殊环节结束：{label}", Status.SPECIAL_STEP, Status.REVIEWING, p.decider, "", True))
    if not p.ended:
        return
    if p.status == Status.REFUSED:
        ev.append((p.ended, "不予受理", stage_status, Status.REFUSED, p.clerk, p.reason, True))
    elif p.status == Status.WITHDRAWN:
        ev.append((p.ended, "申请人撤回", stage_status, Status.WITHDRAWN, p.applicant, "", True))
    else:
        label = "准予许可" if p.status == Status.GRANTED else "不予许可"
        ev.append((p.ended, "审查：同意" if p.status == Status.GRANTED else "审查：不同意", Status.REVIEWING,
                   Status.REVIEWING, p.decider, "", False))
        ev.append((p.ended, label, Status.REVIEWING, p.status, p.decider, p.reason, True))
    ev.sort(key=lambda e: e[0])


def _supplement_events(p: Plan, sub: tuple, back: str) -> None:
    _stage, asked, answered = sub
    p.events.append((asked, "一次性告知补正", back, Status.SUPPLEMENTING, p.clerk,
                     "1. 请按告知补正材料（不符合要求）", True))
    if answered:
        p.events.append((answered, "申请人补正", Status.SUPPLEMENTING, back, p.applicant, "", True))


class Stamps:
    """Working-hours timestamps, increasing within one case and never after now."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx, self.last = ctx, None

    def at(self, d: date) -> datetime:
        r = self.ctx.rng
        stamp = timezone.make_aware(datetime.combine(d, time(9, 0)) + timedelta(minutes=r.randint(0, 480)))
        if self.last is not None and stamp <= self.last:
            stamp = self.last + timedelta(minutes=r.randint(3, 40))
        self.last = min(stamp, self.ctx.now - timedelta(seconds=1))
        return self.last


# ---------------------------------------------------------------- writing

@contextmanager
def historical_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the given created/updated times instead of now (demo loading only)."""
    changed = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add):
                changed.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in changed:
            f.auto_now, f.auto_now_add = now, add


def _numbers(plans: list[Plan]) -> dict[str, int]:
    """Number every plan by its submission day; returns the sequences' new values."""
    existing = dict(am.NumberSequence.objects.values_list("key", "value"))
    counters: dict[str, int] = {}
    for p in sorted(plans, key=lambda p: (p.submitted, p.app.submitted_at)):
        region = p.it.item.region.code
        key = f"{(''.join(ch for ch in region if ch.isdigit())[:6]).ljust(6, '0')}-{p.submitted:%Y%m%d}"
        counters[key] = counters.get(key, existing.get(key, 0)) + 1
        p.app.number = format_number(region, p.submitted, counters[key])
    return counters


def _save_counters(model: type[models.Model], counters: dict[str, int]) -> None:
    existing = {c.key: c for c in model.objects.filter(key__in=list(counters))}
    for row in existing.values():
        row.value = counters[row.key]
    model.objects.bulk_update(list(existing.values()), ["value"])
    model.objects.bulk_create([model(key=k, value=v) for k, v in counters.items() if k not in existing])


def _identity(user: User) -> tuple[str, str]:
    if user.kind == UserKind.ENTERPRISE:
        return user.enterprise.name, user.enterprise.uscc
    return user.display_name, user.citizen.id_number


def _form_data(ctx: Ctx, p: Plan) -> dict:
    name, ident = _identity(p.applicant)
    firm = getattr(p.applicant, "enterprise", None) if p.applicant.kind == UserKind.ENTERPRISE else None
    known = {"applicant_name": name, "id_number": firm.legal_rep_id_number if firm else ident,
             "mobile": p.applicant.mobile, "company_name": name, "uscc": ident, "pledge": True,
             "legal_rep": firm.legal_rep_name if firm else name}
    data = {}
    for key, spec in ((p.it.version.form_schema or {}).get("properties") or {}).items():
        if known.get(key):
            data[key] = known[key]
        elif "enum" in spec:
            data[key] = ctx.rng.choice(spec["enum"])
        elif spec.get("type") in ("number", "integer"):
            data[key] = ctx.rng.randint(max(1, int(spec.get("minimum", 1))), 200)
        elif spec.get("format") == "date":
            data[key] = (p.submitted + timedelta(days=ctx.rng.randint(5, 40))).isoformat()
        elif spec.get("type") == "string":
            data[key] = f"示范市{ctx.rng.choice(('赣江', '东湖', '西山', '滨江'))}路{ctx.rng.randint(1, 300)}号" \
                if any(w in spec.get("title", "") for w in ("地址", "场所", "地点")) else NOTE
    return data


def _application(ctx: Ctx, p: Plan) -> Application:
    stamps = Stamps(ctx)
    _timeline(ctx, p)
    name, ident = _identity(p.applicant)
    item = p.it.item
    times = p.event_times = [stamps.at(d) for d, *_rest in p.events]
    form = _form_data(ctx, p)
    by_action = {e[1]: t for e, t in zip(p.events, times, strict=True)}
    ended_at = times[-1] if p.ended else None
    p.app = Application(
        number="", item_version=p.it.version, department=item.department, applicant=p.applicant,
        applicant_name=name[:150], applicant_id_number=ident, contact_mobile=p.applicant.mobile or "",
        channel=p.channel, status=p.status, form_data=form,
        created_by=p.clerk if p.channel == Channel.WINDOW else None, submitted_at=times[0],
        accepted_at=by_action.get("受理"), accepted_by=p.clerk if p.accepted else None,
        refusal_reason=p.reason if p.status == Status.REFUSED else "",
        decided_at=ended_at if p.status in (Status.GRANTED, Status.DENIED, Status.REFUSED) else None,
        decided_by=(p.clerk if p.status == Status.REFUSED else p.decider)
        if p.status in (Status.GRANTED, Status.DENIED, Status.REFUSED) else None,
        decision_reason=p.reason if p.status == Status.DENIED else "",
        withdrawn_at=ended_at if p.status == Status.WITHDRAWN else None,
        delivery=ctx.rng.choice(("download", "download", "window", "post")),
        created_at=times[0], updated_at=times[-1])
    if p.app.delivery == "post":
        p.app.delivery_address = form.get("address") or "示范市赣江路1号"
    return p.app


def _timed_case(ctx: Ctx, p: Plan, c: Clock) -> TimedCase:
    v, item = p.it.version, p.it.item
    result = _deadline(c, c.kind)
    open_pause = next((s for s, e, _r in c.pauses if e is None), None)
    if c.finished:
        status = CaseStatus.FINISHED
    elif open_pause:
        status = CaseStatus.PAUSED
    else:
        status = deadlines.status_on(result.due_date, result.yellow_from, ctx.today)
    stamp = timezone.make_aware(datetime.combine(c.started, time(9, 30)))
    c.row = TimedCase(
        case_type=c.kind, object_type=OBJECT_TYPE, object_id=str(p.app.pk), title=f"{p.app.number} {v.name}"[:200],
        department=item.department, region=item.region, handler=c.handler, started_on=c.started,
        limit_days=c.limit, statutory_days=c.statutory, statutory_due_date=result.statutory_due_date,
        subject_code=item.code, subject_name=v.name[:200], party=p.applicant, paused_days=result.paused_days,
        due_date=result.due_date, due_provisional=result.provisional, yellow_days=yellow_days_for(c.kind),
        yellow_from=result.yellow_from, paused_since=open_pause, pause_count=len(c.pauses), finished_on=c.finished,
        finished_late=bool(c.finished and c.finished > result.due_date), status=status,
        created_at=min(stamp, ctx.now), updated_at=min(stamp, ctx.now))
    return c.row


def _materials(ctx: Ctx, p: Plan) -> list[am.ProvidedMaterial]:
    rows, at = [], p.app.submitted_at
    for m in p.it.materials:
        if m.shared_source:
            rows.append(am.ProvidedMaterial(application=p.app, material=m, name=m.name, created_at=at,
                                            status=am.MaterialStatus.SHARED, note=f"共享获取：{m.shared_source}（{NOTE}）"))
        elif m.required or ctx.rng.random() < 0.5:
            rows.append(am.ProvidedMaterial(application=p.app, material=m, name=m.name, created_at=at,
                                            status=am.MaterialStatus.PROVIDED, note=NOTE))
    return rows


def _supplement(ctx: Ctx, p: Plan, materials: list[am.ProvidedMaterial]) -> tuple[am.SupplementRequest, list]:
    stage, asked, answered = p.supplement
    times = dict(zip([e[1] for e in p.events], p.event_times, strict=True))
    own = [m for m in materials if m.status == am.MaterialStatus.PROVIDED][:2] or materials[:1]
    items = [{"material_id": m.material_id, "name": m.name, "problem": "不符合要求",
              "note": ctx.rng.choice(SUPPLEMENT_NOTES)} for m in own[:ctx.rng.randint(1, 2)]]
    extra = []
    for m in own[:len(items)]:
        m.status = am.MaterialStatus.DEFECTIVE
        if answered:
            extra.append(am.ProvidedMaterial(application=p.app, material_id=m.material_id, name=m.name,
                                          status=am.MaterialStatus.PROVIDED, note=f"补正提交（{NOTE}）",
                                          created_at=times["申请人补正"]))
    request = am.SupplementRequest(
        application=p.app, sequence=1, items=items, note="", requested_by=p.clerk,
        requested_at=times["一次性告知补正"], answered_at=times.get("申请人补正"),
        status=am.SupplementStatus.ANSWERED if answered else am.SupplementStatus.OPEN,
        return_status=Status.SUBMITTED if stage == "acceptance" else Status.REVIEWING)
    return request, extra


def _bill(ctx: Ctx, p: Plan, counters: dict[str, int]) -> tuple[bm.Bill, list[bm.BillLine], bm.Payment | None] | None:
    if not p.it.fees or not p.accepted:
        return None
    accepted_at = p.app.accepted_at
    key = f"B-{p.accepted:%Y%m%d}"
    counters[key] = counters.get(key, 0) + 1
    total = sum((amount for _n, amount, _b in p.it.fees), Decimal("0"))
    withdrawn = p.status == Status.WITHDRAWN
    paid = not withdrawn and (p.ended is not None or ctx.rng.random() < 0.5)
    paid_at = min(accepted_at + timedelta(hours=ctx.rng.randint(1, 30)), ctx.now) if paid else None
    bill = bm.Bill(number=f"JF{p.accepted:%Y%m%d}{counters[key]:06d}", application=p.app,
                department=p.it.item.department, payer=p.applicant, payer_name=p.app.applicant_name, total=total,
                status=bm.BillStatus.PAID if paid else bm.BillStatus.CANCELLED if withdrawn else bm.BillStatus.UNPAID,
                created_at=accepted_at, paid_at=paid_at)
    lines = [bm.BillLine(bill=bill, item_name=p.it.version.name[:200], fee_name=n, amount=a, basis=b)
             for n, a, b in p.it.fees]
    payment = None
    if paid:
        payment = bm.Payment(bill=bill, gateway="logging", amount=total, status=bm.PaymentStatus.SUCCEEDED,
                          gateway_ref=f"LGH{p.app.number}", created_at=paid_at,
                          settled_at=paid_at, raw_callback={"demo": NOTE})
    return bill, lines, payment


def _write_services(ctx: Ctx, plans: list[Plan]) -> dict[str, int]:
    apps_ = [_application(ctx, p) for p in plans]
    seqs = _numbers(plans)
    Application.objects.bulk_create(apps_, batch_size=500)
    clocks = [c for p in plans for c in (p.acceptance, p.processing) if c]
    cases = [_timed_case(ctx, p, c) for p in plans for c in (p.acceptance, p.processing) if c]
    TimedCase.objects.bulk_create(cases, batch_size=500)
    for p in plans:
        p.app.acceptance_case = p.acceptance.row
        p.app.processing_case = p.processing.row if p.processing else None
    Application.objects.bulk_update(apps_, ["acceptance_case", "processing_case"], batch_size=500)
    CasePause.objects.bulk_create([CasePause(case=c.row, reason=r, started_on=s, ended_on=e, created_by=None)
                                   for c in clocks for s, e, r in c.pauses], batch_size=500)
    events, materials, supplements, steps, bills, lines, payments = [], [], [], [], [], [], []
    bill_counters = dict(bm.Counter.objects.filter(key__startswith="B-").values_list("key", "value"))
    for p in plans:
        for (_d, action, before, after, actor, note, public), at in zip(p.events, p.event_times, strict=True):
            events.append(am.ApplicationEvent(application=p.app, at=at, actor=actor, action=action, from_status=before,
                                           to_status=after, note=note, public=public))
        rows = _materials(ctx, p)
        if p.supplement:
            request, extra = _supplement(ctx, p, rows)
            supplements.append(request)
            rows += extra
        materials += rows
        if p.special:
            kind, begun, ended = p.special
            steps.append(am.SpecialStep(application=p.app, kind=kind, started_on=begun, ended_on=ended,
                                     note=NOTE, return_status=Status.REVIEWING, recorded_by=p.decider))
        billed = _bill(ctx, p, bill_counters)
        if billed:
            bills.append(billed[0])
            lines += billed[1]
            payments += [billed[2]] if billed[2] else []
    for model, rows in ((am.ApplicationEvent, events), (am.ProvidedMaterial, materials),
                        (am.SupplementRequest, supplements), (am.SpecialStep, steps), (bm.Bill, bills)):
        model.objects.bulk_create(rows, batch_size=500)
    for model, rows in ((bm.BillLine, lines), (bm.Payment, payments)):  # their bills have ids by now
        model.objects.bulk_create(rows, batch_size=500)
    _save_counters(am.NumberSequence, seqs)
    _save_counters(bm.Counter, {k: v for k, v in bill_counters.items() if k.startswith("B-")})
    return {"applications": len(apps_), "timed_cases": len(cases), "events": len(events), "bills": len(bills),
            "materials": len(materials), "supplements": len(supplements), "special_steps": len(steps)}


# ---------------------------------------------------------------- supervision

def _rating_level(ctx: Ctx, p: Plan) -> int:
    bad = 0.03 + (0.12 if p.processing.row.finished_late else 0) + (0.10 if p.status == Status.DENIED else 0)
    roll = ctx.rng.random()
    if roll < bad:
        return ctx.rng.choice((1, 2, 2))
    return 3 if roll < bad + 0.08 else 4 if roll < bad + 0.33 else 5


def _outcomes(cases: list[TimedCase], supplemented: set[int]) -> list:

    """What ``supervision.handlers.record_outcome`` computes when a case finishes."""
    return [sv.CaseOutcome(
        case=c, case_type=c.case_type, department_id=c.department_id, subject_name=c.subject_name,
        finished_on=c.finished_on, month=c.finished_on.replace(day=1), late=c.finished_late,
        statutory_late=bool(c.statutory_due_date and c.finished_on > c.statutory_due_date),
        working_days_used=working_days_used(c, c.finished_on), limit_days=c.limit_days + c.extended_days,
        supplemented=c.pk in supplemented) for c in cases if c.status == CaseStatus.FINISHED]


def _morning(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(8, 0)))


def _warnings(cases: list[TimedCase], today: date) -> list:
    """The warnings the daily run would have sent on past working days."""

    rows = []
    for c in cases:
        if c.handler_id is None:
            continue
        end = c.finished_on or today
        if c.yellow_from < end and c.yellow_from <= c.due_date and days.is_workday(c.yellow_from):
            rows.append(sv.Warning(case=c, level=sv.WarningLevel.YELLOW, recipients=[c.handler_id],
                                   sent_on=c.yellow_from, created_at=_morning(c.yellow_from)))
        day, n = c.due_date, 0
        while n < 10:
            day, n = days.add_working_days(day, 1), n + 1
            if day >= end:
                break
            rows.append(sv.Warning(case=c, level=sv.WarningLevel.RED, escalation_level=min(n, 3), overdue_days=n,
                                   recipients=[c.handler_id], sent_on=day, created_at=_morning(day)))
    return rows


def _follow_up(ctx: Ctx, rating, p: Plan) -> tuple[Any, TimedCase, list]:

    limit = int(getattr(settings, "ZT_BAD_RATING_DAYS", 5))
    start = rating.rated_on
    done = days.add_working_days(start, ctx.rng.randint(1, limit + 1))
    recent = start >= ctx.today - timedelta(days=21)  # the latest bad ratings are still being followed up
    clock = Clock(FOLLOW_UP_CASE, start, limit, finished=None if recent or done >= ctx.today else done)
    row = _timed_case(ctx, p, clock)
    row.object_type, row.object_id, row.handler = "supervision.rating", str(rating.pk), None
    row.title = f"差评整改：{p.processing.row.title}"[:200]
    head = ctx.rng.choice(ctx.heads[p.it.item.department_id])
    founded = ctx.rng.random() < 0.7
    fu = sv.FollowUp(rating=rating, department_id=rating.department_id, clock=row,
                  status=sv.FollowUpStatus.DONE if clock.finished else sv.FollowUpStatus.CONTACT,
                  founded=founded if clock.finished else None, completed_on=clock.finished,
                  created_at=rating.created_at)
    steps = []
    if clock.finished:
        plan = [("contact", None), ("verify", founded)] + ([("rectify", None)] if founded else [])
        for i, (step, flag) in enumerate(plan):
            note = STEP_NOTES[step] + (("，差评属实" if flag else "，差评不属实") if step == "verify" else "")
            at = timezone.make_aware(datetime.combine(min(ctx.wd(start, i), done), time(10 + i, 0)))
            steps.append(sv.FollowUpStep(follow_up=fu, step=step, note=note, founded=flag, actor=head, created_at=at))
    return fu, row, steps


def _ratings(ctx: Ctx, plans: list[Plan]) -> tuple[list, list, list[Plan]]:
    """An invitation per finished processing case (as ``invite_rating``); ~70% rate it, a week at most later."""
    invitations, ratings, rated = [], [], []
    for p in plans:
        case = p.processing.row if p.processing else None
        if case is None or case.status != CaseStatus.FINISHED or not is_rated(case.case_type):
            continue
        if p.status == Status.WITHDRAWN:  # never served: no invitation (as supervision.handlers)
            continue
        invitations.append(sv.RatingInvitation(case=case, party=p.applicant, created_at=_morning(case.finished_on)))
        if p.status == Status.WITHDRAWN or ctx.rng.random() >= 0.7:
            continue
        level = _rating_level(ctx, p)
        rated_on = min(ctx.wd(case.finished_on, ctx.rng.choice((0, 0, 1, 1, 2, 3))), ctx.today)
        subs = {k: max(1, min(5, level + ctx.rng.choice((-1, 0, 0, 0, 1)))) for k in
                ("efficiency", "guide_accuracy", "convenience", "usability")}
        comments = BAD_COMMENTS if level <= 2 else MIDDLE_COMMENTS if level == 3 else GOOD_COMMENTS
        ratings.append(sv.Rating(
            case=case, party=p.applicant, department_id=case.department_id, subject_name=case.subject_name,
            level=level, overall=level, **subs, comment=ctx.rng.choice(comments), real_name=True, rated_on=rated_on,
            created_at=min(_morning(rated_on) + timedelta(hours=11), ctx.now)))
        rated.append(p)
    return invitations, ratings, rated


def _write_supervision(ctx: Ctx, plans: list[Plan]) -> dict[str, int]:
    supplemented = {c.row.pk for p in plans for c in (p.acceptance, p.processing)
                    if c and any("补正" in r for _s, _e, r in c.pauses)}
    cases = [c.row for p in plans for c in (p.acceptance, p.processing) if c]
    # Withdrawn cases are left out of outcomes, as supervision.handlers does for live ones.
    scored = [c.row for p in plans if p.status != Status.WITHDRAWN for c in (p.acceptance, p.processing) if c]
    sv.CaseOutcome.objects.bulk_create(_outcomes(scored, supplemented), batch_size=500)
    sv.Warning.objects.bulk_create(_warnings(cases, ctx.today), batch_size=500)
    invitations, ratings, rated = _ratings(ctx, plans)
    sv.RatingInvitation.objects.bulk_create(invitations, batch_size=500)
    sv.Rating.objects.bulk_create(ratings, batch_size=500)
    made = [_follow_up(ctx, rating, p) for rating, p in zip(ratings, rated, strict=True) if rating.level <= 2]
    clocks = [clock for _fu, clock, _steps in made]
    TimedCase.objects.bulk_create(clocks, batch_size=500)
    sv.FollowUp.objects.bulk_create([fu for fu, _c, _s in made], batch_size=500)
    steps = [step for _fu, _c, fu_steps in made for step in fu_steps]
    sv.FollowUpStep.objects.bulk_create(steps, batch_size=500)
    sv.CaseOutcome.objects.bulk_create(_outcomes(clocks, set()), batch_size=500)
    month = previous_month(month_start(ctx.today))
    for _ in range(12):  # the monthly job's stored scorecards for the closed months
        compute_scorecards(month, ctx.today)
        month = previous_month(month)
    return {"outcomes": sv.CaseOutcome.objects.count(), "invitations": len(invitations), "ratings": len(ratings),
            "bad_ratings": len(made), "follow_ups_open": sum(1 for c in clocks if c.finished_on is None),
            "scorecard_months": 12}


# ---------------------------------------------------------------- live work

def _start_processes(plans: list[Plan]) -> dict[str, int]:
    """Accepted open cases get their approval process, through the real engine."""
    started = failed = 0
    for p in plans:
        if not p.accepted:
            continue
        try:
            start_process(p.app, actor=p.clerk)
            started += 1
        except WorkflowError:
            failed += 1
            if p.app.status == Status.REVIEWING:
                Application.objects.filter(pk=p.app.pk).update(status=Status.ACCEPTED)
    return {"processes": started, "without_process": failed}


# Models whose auto_now(_add) times are set from the history while it is bulk-inserted.
HISTORY_MODELS = (Application, am.ApplicationEvent, am.ProvidedMaterial, am.SupplementRequest, TimedCase, bm.Bill,
                  bm.Payment, sv.Rating, sv.RatingInvitation, sv.FollowUp, sv.FollowUpStep, sv.Warning)


@transaction.atomic
def load_history(scale: float = 1.0) -> dict[str, int]:
    """Load a year of applications (see the module docstring); returns the counts."""
    from zhengtong.demo import specs

    today = timezone.localdate()
    rng = random.Random(f"{specs.SEED}-history")
    ctx = _context(today, rng)
    if ctx is None:
        return {}
    total = max(20, round(TOTAL * scale))
    n_open = max(len(OPEN_PATTERN) // 2, round(OPEN * scale))
    plans = final_plans(ctx, total - n_open) + open_plans(ctx, n_open)
    with historical_timestamps(*HISTORY_MODELS):
        counts = _write_services(ctx, plans)
        counts.update(_write_supervision(ctx, plans))
    counts.update(_start_processes([p for p in plans if not p.ended]))
    counts.update({"open": n_open, "late": sum(1 for p in plans if p.processing and p.processing.row.finished_late),
                   "scale_x1000": round(scale * 1000)})
    record("demo.history.loaded", role="demo", after=counts)
    return counts
