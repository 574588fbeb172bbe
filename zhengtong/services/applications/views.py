"""Public pages: apply for an item or a bundle, my cases, a case page and its actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.services.applications import actions, queries
from zhengtong.services.applications import timeline as tl
from zhengtong.services.applications.errors import ApplicationError
from zhengtong.services.applications.forms import FormView, submission_from_post
from zhengtong.services.applications.models import Application, Channel, Status, SupplementStatus
from zhengtong.services.applications.submit import (
    bundle_schema,
    bundle_versions,
    check_version_open,
    slots_for,
)
from zhengtong.services.catalog.models import Bundle, ServiceItem


def _error(request: HttpRequest, title: str, message: str, status: int, back: str = "") -> HttpResponse:
    return render(request, "applications/error.html", {"title": title, "message": message, "back": back},
                  status=status)


def _public_user(request: HttpRequest) -> None:
    if getattr(request.user, "kind", "") == "staff":
        raise PermissionDenied(_("工作人员请通过工作台“窗口收件”为申请人办理"))


def _form_response(request, template_ctx: dict, form: FormView, status: int = 200) -> HttpResponse:
    return render(request, "applications/apply.html", {**template_ctx, "form": form}, status=status)


@login_required
def new(request: HttpRequest, code: str) -> HttpResponse:
    _public_user(request)
    item = ServiceItem.objects.select_related("current__item", "department", "region").filter(code=code).first()
    try:
        version = check_version_open(item.current if item else None)
    except ApplicationError as exc:
        return _error(request, _("无法申报"), exc.message, 404)
    ctx = {"title": version.name, "department": item.department.name, "promised_days": version.promised_days}
    slots = slots_for([version])
    if request.method != "POST":
        return _form_response(request, ctx, FormView(version.form_schema, slots,
                                                     queries.prefill(request.user, version.form_schema)))
    sub = submission_from_post(request, version.form_schema, slots, request.user, Channel.ONLINE)
    try:
        app = actions.check_submit_application(version, sub, actor=request.user)
    except ApplicationError as exc:
        form = FormView(version.form_schema, slots, sub.data, exc.errors, exc.message, sub.delivery,
                        sub.delivery_address)
        return _form_response(request, ctx, form, status=exc.status)
    messages.success(request, _("申报成功，办件编号 %(number)s") % {"number": app.number})
    return redirect("applications:detail", number=app.number)


@login_required
def bundle(request: HttpRequest, code: str) -> HttpResponse:
    _public_user(request)
    found = Bundle.objects.select_related("lead_department__region").filter(code=code).first()
    try:
        versions = bundle_versions(found) if found else None
    except ApplicationError as exc:
        return _error(request, _("无法申报"), exc.message, 404)
    if not versions:
        return _error(request, _("无法申报"), _("该“一件事”不存在"), 404)
    schema, slots = bundle_schema(found, versions), slots_for(versions)
    ctx = {"title": found.name, "members": versions, "department": found.lead_department.name,
           "promised_days": found.promised_days}
    if request.method != "POST":
        return _form_response(request, ctx, FormView(schema, slots, queries.prefill(request.user, schema)))
    sub = submission_from_post(request, schema, slots, request.user, Channel.ONLINE)
    try:
        result = actions.check_submit_bundle(found, sub, actor=request.user)
    except ApplicationError as exc:
        form = FormView(schema, slots, sub.data, exc.errors, exc.message, sub.delivery, sub.delivery_address)
        return _form_response(request, ctx, form, status=exc.status)
    messages.success(request, _("申报成功，一件事编号 %(number)s，已分送 %(n)s 个部门并联办理")
                     % {"number": result.number, "n": result.applications.count()})
    return redirect("applications:mine")


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.my_applications(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "applications/mine.html", {"page": page})


def rate_url(app: Application) -> str:
    if app.status not in (Status.GRANTED, Status.DENIED) or not app.processing_case_id:
        return ""
    try:
        return reverse("supervision:rate", args=[app.processing_case_id])
    except NoReverseMatch:
        return ""


def _bills_of(app: Application) -> list:
    found = list(app.bills.all()) if hasattr(app, "bills") else []
    if app.bundle_application_id and hasattr(app.bundle_application, "bills"):
        found += list(app.bundle_application.bills.all())
    return found


def result_links(app: Application) -> list[tuple[str, str]]:
    """Links to the case's bill and e-licence pages, when the billing app provides them."""
    links = []
    try:
        for bill in _bills_of(app):
            links.append((_("收费单 %(n)s") % {"n": bill.number}, reverse("billing:bill", args=[bill.number])))
        licence = getattr(app, "license", None)
        if licence is not None:
            label = (_("电子证照 %(n)s（已注销）") if licence.status == "revoked" else _("电子证照 %(n)s"))
            links.append((label % {"n": licence.number}, reverse("billing:licence", args=[licence.number])))
    except (NoReverseMatch, ObjectDoesNotExist):
        return links
    return links


def _detail(request: HttpRequest, app: Application, *, status: int = 200, supplement_error: str = "") -> HttpResponse:
    labels = dict(Status.choices)
    events = list(app.events.filter(public=True).select_related("actor"))
    for e in events:
        e.to_status_label = labels.get(e.to_status, e.to_status)
    return render(request, "applications/detail.html", {
        "app": app, "events": events, "clock": tl.running_clock(app) or app.processing_case or app.acceptance_case,
        "materials": app.materials.select_related("attachment"),
        "open_supplements": app.supplements.filter(status=SupplementStatus.OPEN),
        "supplement_error": supplement_error, "links": result_links(app), "rate_url": rate_url(app),
        "delivery_choices": Application._meta.get_field("delivery").choices}, status=status)


def _own(request: HttpRequest, number: str) -> Application:
    return queries.access_own_application(request.user, number)


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    try:
        app = _own(request, number)
    except Http404 as exc:
        return _error(request, _("办件不存在"), str(exc), 404, reverse("applications:mine"))
    return _detail(request, app)


@login_required
@require_POST
def withdraw(request: HttpRequest, number: str) -> HttpResponse:
    app = _own(request, number)
    try:
        actions.do_withdraw(app, actor=request.user, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        return _error(request, _("无法撤回"), exc.message, exc.status, reverse("applications:detail", args=[number]))
    messages.success(request, _("办件已撤回"))
    return redirect("applications:detail", number=app.number)


@login_required
@require_POST
def delivery(request: HttpRequest, number: str) -> HttpResponse:
    app = _own(request, number)
    try:
        actions.do_change_delivery(app, delivery=request.POST.get("delivery", ""),
                                   address=request.POST.get("delivery_address", ""), actor=request.user)
    except ApplicationError as exc:
        return _error(request, _("无法修改"), exc.message, exc.status, reverse("applications:detail", args=[number]))
    messages.success(request, _("送达方式已修改"))
    return redirect("applications:detail", number=app.number)


@login_required
@require_POST
def supplement(request: HttpRequest, number: str, sequence: int) -> HttpResponse:
    app = _own(request, number)
    sr = app.supplements.filter(sequence=sequence).first()
    if sr is None:
        raise Http404(_("补正告知不存在"))
    try:
        actions.do_answer_supplement(sr, uploads=dict(request.FILES.items()), note=request.POST.get("note", ""),
                                     actor=request.user)
    except ApplicationError as exc:
        return _detail(request, app, status=exc.status, supplement_error=exc.message)
    messages.success(request, _("补正材料已提交"))
    return redirect("applications:detail", number=app.number)
