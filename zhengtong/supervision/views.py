"""Console pages of e-supervision (/console/supervision/…): monitor, directives, follow-ups,
appeals, scorecards, dashboards. Thin: validate → access helper → one action → render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.core.console import console_view, render_page
from zhengtong.core.org.models import Department, Region
from zhengtong.core.permissions.checks import has_perm, require
from zhengtong.core.timelimits.models import OPEN_STATUSES, CaseStatus
from zhengtong.core.timelimits.registry import CASE_TYPES
from zhengtong.supervision import actions, queries, scorecards
from zhengtong.supervision import registry as reg
from zhengtong.supervision.forms import (
    AnswerForm,
    AppealForm,
    DecideForm,
    DirectiveForm,
    StepForm,
    WeightsForm,
)
from zhengtong.supervision.models import (
    DirectiveKind,
    DirectiveStatus,
    FollowUpStatus,
    RatingAppeal,
    ScoreWeights,
)

DIRECTIVE_VIEWERS = reg.DIRECTIVE_VIEWERS
FOLLOW_UP_VIEWERS = reg.FOLLOW_UP_VIEWERS


def _int(value, default: int = 1) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@console_view
def monitor(request: HttpRequest) -> HttpResponse:
    require(request.user, reg.MONITOR)
    today = timezone.localdate()
    try:
        filters = queries.MonitorFilters.from_params(request.GET)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        filters = queries.MonitorFilters()
    page_no = _int(request.GET.get("page"))
    counts = queries.monitor_counts(request.user, today, filters)
    rows, has_next = queries.monitor_page(request.user, today, filters, page_no)
    labels = dict(CaseStatus.choices)
    params = request.GET.copy()
    params.pop("page", None)
    return render_page(
        request, "supervision/monitor.html", _("时限监控"), icon="time", rows=rows, has_next=has_next,
        page_no=page_no, today=today, filters=filters, query=params.urlencode(),
        counts=[(str(s), labels[s], counts[str(s)]) for s in OPEN_STATUSES],
        statutory_over=counts["statutory_over"], status_labels=labels,
        case_types=sorted(CASE_TYPES.values(), key=lambda s: s.code),
        departments=Department.objects.filter(is_active=True).order_by("region__code", "sort_order", "code"),
        regions=Region.objects.current().order_by("code"),
        can_urge=has_perm(request.user, reg.URGE), can_correct=has_perm(request.user, reg.CORRECT))


# --- directives ----------------------------------------------------------------------------


@console_view
def directives(request: HttpRequest) -> HttpResponse:
    if not any(has_perm(request.user, a) for a in DIRECTIVE_VIEWERS):
        require(request.user, reg.REPLY)
    qs = queries.directives_for(request.user, DIRECTIVE_VIEWERS)
    kind = request.GET.get("kind", "")
    if kind in DirectiveKind.values:
        qs = qs.filter(kind=kind)
    return render_page(request, "supervision/directives.html", _("督办纠错问责"), icon="warning",
                       rows=qs[:200], kind=kind, kinds=DirectiveKind.choices, today=timezone.localdate(),
                       can_issue=any(has_perm(request.user, a) for a in actions.DIRECTIVE_ACTION.values()))


@console_view
def directive_new(request: HttpRequest) -> HttpResponse:
    if not any(has_perm(request.user, a) for a in actions.DIRECTIVE_ACTION.values()):
        require(request.user, reg.URGE)
    initial = {"kind": request.GET.get("kind", DirectiveKind.URGE)}
    about = None
    if request.GET.get("case") or request.POST.get("about_case"):
        about = queries.access_case_for_monitor(request.user, _int(request.GET.get("case")
                                                                   or request.POST.get("about_case"), 0))
        initial.update(about_case=about.pk, department=about.department.code)
    form = DirectiveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            directive = actions.check_issue_directive(
                data["kind"], actor=request.user, department=data["department"], message=data["message"],
                requirement=data["requirement"], reply_days=data["reply_days"], about_case=about,
                person_name=data["person_name"])
        except actions.SupervisionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已发出%(kind)s") % {"kind": directive.get_kind_display()})
            return redirect("supervision_console:directive", directive_id=directive.pk)
    return render_page(request, "supervision/directive_new.html", _("发出督办/纠错/问责"), icon="warning",
                       form=form, about=about, status=400 if form.errors else 200)


@console_view
def directive_detail(request: HttpRequest, directive_id: int) -> HttpResponse:
    directive = queries.access_directive(request.user, directive_id, DIRECTIVE_VIEWERS)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.check_answer_directive(directive, actor=request.user, answer=form.cleaned_data["answer"])
        except actions.SupervisionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已答复"))
        return redirect("supervision_console:directive", directive_id=directive.pk)
    can_reply = directive.status == DirectiveStatus.OPEN and has_perm(request.user, reg.REPLY,
                                                                       department=directive.department)
    can_close = (directive.kind == DirectiveKind.CORRECTION and directive.status == DirectiveStatus.ANSWERED
                 and has_perm(request.user, reg.CORRECT, department=directive.department))
    return render_page(request, "supervision/directive.html", str(directive), icon="warning", d=directive,
                       form=form, can_reply=can_reply, can_close=can_close, today=timezone.localdate())


@console_view
@require_POST
def directive_close(request: HttpRequest, directive_id: int) -> HttpResponse:
    directive = queries.access_directive(request.user, directive_id, DIRECTIVE_VIEWERS)
    try:
        actions.do_close_directive(directive, actor=request.user)
    except actions.SupervisionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已审核办结"))
    return redirect("supervision_console:directive", directive_id=directive.pk)


# --- follow-ups and appeals -------------------------------------------------------------------


@console_view
def follow_ups(request: HttpRequest) -> HttpResponse:
    if not any(has_perm(request.user, a) for a in FOLLOW_UP_VIEWERS):
        require(request.user, reg.FOLLOW_UP)
    rows = queries.follow_ups_for(request.user, FOLLOW_UP_VIEWERS)
    appeals = queries.pending_appeals(request.user, reg.APPEAL_DECIDE)[:100]
    return render_page(request, "supervision/follow_ups.html", _("差评整改"), icon="pick", rows=rows[:200],
                       appeals=appeals, today=timezone.localdate())


@console_view
def follow_up_detail(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    fu = queries.access_follow_up(request.user, follow_up_id, FOLLOW_UP_VIEWERS)
    form, appeal_form = StepForm(), AppealForm()
    if request.method == "POST":
        if request.POST.get("do") == "appeal":
            appeal_form = AppealForm(request.POST)
            if appeal_form.is_valid():
                return _run(request, fu, lambda: actions.check_file_appeal(
                    fu.rating, actor=request.user, reason=appeal_form.cleaned_data["reason"]), _("已提交申诉"))
        else:
            form = StepForm(request.POST)
            if form.is_valid():
                return _run(request, fu, lambda: actions.check_record_follow_up_step(
                    fu, actor=request.user, step=request.POST.get("step", ""), note=form.cleaned_data["note"],
                    founded=form.cleaned_data["founded"]), _("已登记"))
    can_act = has_perm(request.user, reg.FOLLOW_UP, department=fu.department)
    open_steps = (FollowUpStatus.CONTACT, FollowUpStatus.VERIFY, FollowUpStatus.RECTIFY)
    return render_page(request, "supervision/follow_up.html", fu.clock.title, icon="pick", fu=fu, form=form,
                       appeal_form=appeal_form, can_act=can_act and fu.status in open_steps,
                       can_appeal=can_act and not fu.rating.excluded, status=400 if form.errors else 200)


def _run(request: HttpRequest, fu, call, success: str) -> HttpResponse:
    try:
        call()
    except actions.SupervisionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("supervision_console:follow_up", follow_up_id=fu.pk)


@console_view
@require_POST
def appeal_decide(request: HttpRequest, appeal_id: int) -> HttpResponse:
    require(request.user, reg.APPEAL_DECIDE)
    appeal = get_object_or_404(RatingAppeal.objects.select_related("rating__department", "filed_by"), pk=appeal_id)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结论"))
    else:
        try:
            actions.check_decide_appeal(appeal, actor=request.user, approve=form.cleaned_data["approve"],
                                        note=form.cleaned_data["note"])
        except actions.SupervisionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已审核申诉"))
    return redirect("supervision_console:follow_ups")


# --- scorecards and dashboards ---------------------------------------------------------------


def _month(request: HttpRequest) -> date:
    raw = request.GET.get("month", "")
    try:
        return date.fromisoformat(f"{raw}-01") if raw else scorecards.month_start(timezone.localdate())
    except ValueError:
        return scorecards.month_start(timezone.localdate())


@console_view
def scorecard(request: HttpRequest) -> HttpResponse:
    require(request.user, reg.SCORECARD)
    month = _month(request)
    rows, stored = scorecards.for_user(request.user, month)
    can_weigh = has_perm(request.user, reg.WEIGHTS)
    weights_form = WeightsForm(instance=ScoreWeights.current()) if can_weigh else None
    return render_page(request, "supervision/scorecards.html", _("部门绩效考核"), icon="table", rows=rows,
                       month=month, stored=stored, weights_form=weights_form, can_weigh=can_weigh)


@console_view
def scorecard_export(request: HttpRequest) -> HttpResponse:
    require(request.user, reg.SCORECARD)
    month = _month(request)
    rows, _stored = scorecards.for_user(request.user, month)
    response = HttpResponse(scorecards.export_xlsx(rows, month),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="scorecard-{month:%Y-%m}.xlsx"'
    return response


@console_view
@require_POST
def scorecard_store(request: HttpRequest) -> HttpResponse:
    try:
        result = actions.check_store_scorecards(request.POST.get("month", ""), actor=request.user)
    except actions.SupervisionError as exc:
        messages.error(request, str(exc))
        return redirect("supervision_console:scorecards")
    messages.success(request, _("已存档 %(m)s 的考核结果（%(n)s 个部门）") % {"m": result["month"][:7],
                                                                      "n": result["departments"]})
    return redirect(reverse("supervision_console:scorecards") + f"?month={result['month'][:7]}")


@console_view
@require_POST
def weights(request: HttpRequest) -> HttpResponse:
    try:
        actions.check_update_weights(actor=request.user, values=request.POST)
    except actions.SupervisionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已更新考核权重"))
    return redirect("supervision_console:scorecards")


@console_view
def dashboard(request: HttpRequest) -> HttpResponse:
    require(request.user, reg.MONITOR)
    return render_page(request, "supervision/dashboard.html", _("监察大屏"), icon="view")


@console_view
def screen(request: HttpRequest) -> HttpResponse:
    """The leaders' full-screen page: no console or public shell, the same JSON."""
    require(request.user, reg.MONITOR)
    return render(request, "supervision/screen.html", {"today": timezone.localdate()})
