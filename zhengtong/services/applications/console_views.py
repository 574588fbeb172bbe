"""Console pages (inside the Wagtail admin): acceptance inbox, case page, supplements, special
steps, approvals of second supplements, and the generic window (一窗受理)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhengtong.core.console import console_view, render_page
from zhengtong.core.permissions.checks import has_perm, require
from zhengtong.services.applications import actions, queries
from zhengtong.services.applications.errors import ApplicationError
from zhengtong.services.applications.forms import FormView, submission_from_post
from zhengtong.services.applications.models import (
    Application,
    Channel,
    SpecialStep,
    Status,
)
from zhengtong.services.applications.registry import (
    ACCEPT,
    APPROVE_SUPPLEMENT,
    INTAKE,
    SPECIAL_STEP,
)
from zhengtong.services.applications.special_steps import listed_steps
from zhengtong.services.applications.submit import slots_for
from zhengtong.services.applications.supplements import compute_supplement_items
from zhengtong.services.catalog.models import ServiceItem, VersionStatus

TABS = [("pending", gettext_lazy("待受理")), ("supplementing", gettext_lazy("补正中")),
        ("running", gettext_lazy("办理中")), ("all", gettext_lazy("全部"))]


def _fail(request: HttpRequest, app: Application, exc: ApplicationError) -> HttpResponse:
    return _detail(request, app, status=exc.status, error=exc.message)


@console_view
def inbox(request: HttpRequest) -> HttpResponse:
    require(request.user, ACCEPT)
    tab = request.GET.get("tab", "pending")
    tab = tab if tab in dict(TABS) else "pending"
    page = Paginator(queries.acceptance_inbox(request.user, tab), 50).get_page(request.GET.get("page"))
    return render_page(request, "applications/console_inbox.html", _("办件受理"), icon="tasks", page=page,
                       tabs=TABS, tab=tab, can_intake=has_perm(request.user, INTAKE),
                       approvals=queries.pending_supplement_approvals(request.user).count())


def _licence_of(app: Application):
    try:
        return app.license
    except ObjectDoesNotExist:  # not granted, or the billing app issued none
        return None


def _detail(request: HttpRequest, app: Application, *, status: int = 200, error: str = "",
            preview: list | None = None) -> HttpResponse:
    user = request.user
    return render_page(
        request, "applications/console_detail.html", _("办件 %(number)s") % {"number": app.number},
        icon="doc-full", status=status, app=app, error=error, preview=preview,
        events=app.events.select_related("actor"), materials=app.materials.select_related("attachment", "material"),
        catalog_materials=app.item_version.materials.all(), supplements=app.supplements.all(),
        steps=app.special_steps.all(), step_options=listed_steps(app.item_version),
        statuses=dict(Status.choices), licence=_licence_of(app),
        can_accept=has_perm(user, ACCEPT, department=app.department),
        can_step=has_perm(user, SPECIAL_STEP, department=app.department))


@console_view
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, queries.access_staff_application(request.user, pk=pk))


@console_view
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    app = queries.access_staff_application(request.user, pk=pk)
    try:
        actions.do_accept(app, actor=request.user)
    except ApplicationError as exc:
        return _fail(request, app, exc)
    messages.success(request, _("已受理"))
    return redirect("applications_console:detail", pk=pk)


@console_view
@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    app = queries.access_staff_application(request.user, pk=pk)
    try:
        actions.do_refuse(app, reason=request.POST.get("reason", ""), actor=request.user)
    except ApplicationError as exc:
        return _fail(request, app, exc)
    messages.success(request, _("已作出不予受理决定"))
    return redirect("applications_console:detail", pk=pk)


def _supplement_input(request: HttpRequest) -> tuple[list[int], dict[int, str], str]:
    defective = [int(x) for x in request.POST.getlist("defective") if x.isdigit()]
    notes = {int(k[5:]): v for k, v in request.POST.items() if k.startswith("note_") and k[5:].isdigit() and v}
    return defective, notes, request.POST.get("note", "")


@console_view
@require_POST
def supplement(request: HttpRequest, pk: int) -> HttpResponse:
    """Two steps: compute and show the list (preview), then save it at once (confirm)."""
    app = queries.access_staff_application(request.user, pk=pk)
    require(request.user, ACCEPT, department=app.department)
    defective, notes, note = _supplement_input(request)
    items = compute_supplement_items(app, defective=defective, notes=notes)
    if request.POST.get("confirm") != "1":
        return _detail(request, app, preview=items)
    try:
        sr = actions.do_request_supplement(app, items=items, note=note, actor=request.user)
    except ApplicationError as exc:
        return _fail(request, app, exc)
    messages.success(request, _("补正告知已发出") if sr.status == "open"
                     else _("再次补正告知已提交部门负责人或监察人员批准"))
    return redirect("applications_console:detail", pk=pk)


@console_view
@require_POST
def special_start(request: HttpRequest, pk: int) -> HttpResponse:
    app = queries.access_staff_application(request.user, pk=pk)
    kind, name = request.POST.get("kind", ""), request.POST.get("name", "")
    if "step" in request.POST:  # the case page's choice of a listed step: "kind:name"
        kind, _sep, name = request.POST["step"].partition(":")
    try:
        step = actions.do_start_special_step(app, kind=kind, name=name, note=request.POST.get("note", ""),
                                             actor=request.user)
    except ApplicationError as exc:
        return _fail(request, app, exc)
    messages.success(request, _("已启动特殊环节“%(kind)s”，最迟 %(end)s 结束")
                     % {"kind": step.label, "end": step.planned_end_on})
    return redirect("applications_console:detail", pk=pk)


@console_view
@require_POST
def special_end(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    app = queries.access_staff_application(request.user, pk=pk)
    step = SpecialStep.objects.filter(application=app, pk=step_id).first()
    if step is None:
        return _detail(request, app, status=404, error=_("特殊环节不存在"))
    try:
        actions.do_end_special_step(step, note=request.POST.get("note", ""), actor=request.user)
    except ApplicationError as exc:
        return _fail(request, app, exc)
    messages.success(request, _("特殊环节已结束，恢复计时"))
    return redirect("applications_console:detail", pk=pk)


@console_view
def approvals(request: HttpRequest) -> HttpResponse:
    require(request.user, APPROVE_SUPPLEMENT)
    return render_page(request, "applications/console_approvals.html", _("再次补正审批"), icon="tick",
                       rows=queries.pending_supplement_approvals(request.user))


@console_view
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    sr = queries.access_supplement_for_approval(request.user, pk)
    try:
        actions.do_approve_supplement(sr, approve=request.POST.get("approve") == "1", actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("applications_console:approvals")
    messages.success(request, _("已处理"))
    return redirect("applications_console:approvals")


# ---------------------------------------------------------------- 一窗受理

def _open_items():
    return (ServiceItem.objects.filter(current__status=VersionStatus.PUBLISHED)
            .select_related("current", "department").order_by("code"))


@console_view
def intake(request: HttpRequest) -> HttpResponse:
    require(request.user, INTAKE)
    code, who = request.GET.get("item", ""), request.GET.get("who", "")
    item = _open_items().filter(code=code).first() if code else None
    applicant = queries.applicant_by_identifier(who) if who else None
    ctx = {"items": _open_items(), "item": item, "who": who, "applicant": applicant}
    if not (item and applicant):
        error = _("未找到证件号码为 %(who)s 的实名用户，请申请人先完成实名注册") % {"who": who} if who and not applicant else ""
        return render_page(request, "applications/console_intake.html", _("窗口收件"), icon="form", error=error,
                           **ctx)
    version, slots = item.current, slots_for([item.current])
    if request.method != "POST":
        form = FormView(version.form_schema, slots, queries.prefill(applicant, version.form_schema))
        return render_page(request, "applications/console_intake.html", _("窗口收件"), icon="form", form=form, **ctx)
    return _intake_submit(request, ctx, version, slots, applicant)


def _intake_submit(request, ctx, version, slots, applicant) -> HttpResponse:
    sub = submission_from_post(request, version.form_schema, slots, applicant, Channel.WINDOW)
    try:
        app, accepted = actions.check_window_intake(version, sub, actor=request.user)
    except ApplicationError as exc:
        form = FormView(version.form_schema, slots, sub.data, exc.errors, exc.message, sub.delivery,
                        sub.delivery_address)
        return render_page(request, "applications/console_intake.html", _("窗口收件"), icon="form", form=form,
                           status=exc.status, **ctx)
    if accepted:
        messages.success(request, _("已收件并当场受理：%(number)s") % {"number": app.number})
    else:
        messages.success(request, _("已收件：%(number)s（材料不齐或须由承办部门受理）") % {"number": app.number})
    return redirect("applications_console:detail", pk=app.pk)
