"""Console pages (menu 政务服务): 事项管理 — items in the user's departments, create and edit
drafts (materials as an inline formset), new version, publish, history, Excel import/export;
主题管理 — the city-wide life events and the items filed under them; 一件事管理 — bundles led
by the user's departments, their combined form, publish and unpublish."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.core.console import console_view, render_page
from zhengtong.core.org.models import Department
from zhengtong.core.permissions.checks import has_perm, require
from zhengtong.services.catalog import actions, excel, jsonform, queries
from zhengtong.services.catalog.forms import (
    BundleForm,
    ItemCreateForm,
    LifeEventForm,
    MaterialFormSet,
    VersionForm,
    material_initial,
    materials_from,
)
from zhengtong.services.catalog.models import (
    Bundle,
    ItemVersion,
    LifeEvent,
    ServiceItem,
    VersionStatus,
)
from zhengtong.services.catalog.registry import BUNDLE, MANAGE, TOPIC

DIFF_FIELDS = (*actions.CONTENT_FIELDS, "materials")


def _item(request: HttpRequest, code: str) -> ServiceItem:
    return queries.access_managed_item(request.user, code)


@console_view
def item_list(request: HttpRequest) -> HttpResponse:
    items = queries.managed_items(request.user).prefetch_related("versions")
    q = request.GET.get("q", "").strip()
    if q:
        items = items.filter(code__icontains=q) | items.filter(versions__name__icontains=q)
    page = Paginator(items.distinct().order_by("code"), 50).get_page(request.GET.get("page"))
    return render_page(request, "catalog/console/list.html", _("事项管理"), icon="list-ul", page=page, q=q)


def _apply_errors(exc: actions.CatalogError, form, formset, material_index: list[int]) -> None:
    for key, msg in exc.errors.items():
        if key.startswith("materials."):
            _m, i, field = key.split(".")
            target = formset.forms[material_index[int(i)]]
            target.add_error(field if field in target.fields else None, msg)
        elif form is not None and key in form.fields:
            form.add_error(key, msg)
        elif form is not None:
            form.add_error(None, msg)


def _material_index(formset) -> list[int]:
    return [i for i, f in enumerate(formset.forms)
            if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")]


@console_view
def item_create(request: HttpRequest) -> HttpResponse:
    require(request.user, MANAGE)
    departments = [d for d in Department.objects.filter(is_active=True).select_related("region")
                   if has_perm(request.user, MANAGE, department=d)]
    head = ItemCreateForm(request.POST or None, departments=departments)
    form = VersionForm(request.POST or None, initial={"process_key": "simple", "audience": "both",
                                                       "online_depth": 4, "hours": "工作日 上午9:00-12:00 下午13:30-17:00"})
    formset = MaterialFormSet(request.POST or None, prefix="m")
    if request.method == "POST" and head.is_valid() and form.is_valid() and formset.is_valid():
        data = dict(form.cleaned_data)
        events = data.pop("life_events")
        index = _material_index(formset)
        try:
            item = actions.do_create_item(actor=request.user, code=head.cleaned_data["code"],
                                          department=next(d for d in departments
                                                          if d.code == head.cleaned_data["department"]),
                                          content=data, materials=materials_from(formset), life_events=events)
        except actions.CatalogError as exc:
            if "code" in exc.errors:
                head.add_error("code", exc.errors.pop("code"))
            _apply_errors(exc, form, formset, index)
        else:
            messages.success(request, _("已创建事项“%(n)s”的草稿") % {"n": data["name"]})
            return redirect("catalog_console:item", code=item.code)
    return render_page(request, "catalog/console/edit.html", _("新建事项"), icon="plus", head=head, form=form,
                       formset=formset, status=400 if request.method == "POST" else 200)


@console_view
def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    item = _item(request, code)
    versions = list(item.versions.prefetch_related("materials").select_related("published_by").order_by("-version"))
    snaps = [actions.snapshot(v) for v in versions]
    history = []
    for i, v in enumerate(versions):
        prev = snaps[i + 1] if i + 1 < len(snaps) else None
        changes = [(str(_field_label(f)), prev[f], snaps[i][f]) for f in DIFF_FIELDS
                   if prev is not None and prev[f] != snaps[i][f]]
        history.append((v, changes))
    draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
    return render_page(request, "catalog/console/detail.html", item.current.name if item.current else item.code,
                       icon="doc-full", item=item, history=history, draft=draft)


def _field_label(field: str) -> str:
    if field == "materials":
        return _("申请材料")
    return ItemVersion._meta.get_field(field).verbose_name


@console_view
def version_edit(request: HttpRequest, code: str, number: int) -> HttpResponse:
    item = _item(request, code)
    version = get_object_or_404(item.versions, version=number)
    if request.method == "POST":
        form = VersionForm(request.POST)
        formset = MaterialFormSet(request.POST, prefix="m")
    else:
        form = VersionForm(initial=VersionForm.initial_from(version))
        formset = MaterialFormSet(initial=material_initial(version), prefix="m")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = dict(form.cleaned_data)
        events = data.pop("life_events")
        index = _material_index(formset)
        try:
            saved = actions.do_edit(version, actor=request.user, content=data, materials=materials_from(formset),
                                    life_events=events)
        except actions.CatalogError as exc:
            _apply_errors(exc, form, formset, index)
        else:
            note = _("已保存草稿（第 %(n)d 版）") % {"n": saved.version}
            if saved.pk != version.pk:
                note += _("；已发布的版本不可修改，已另存为新版本")
            messages.success(request, note)
            return redirect("catalog_console:item", code=item.code)
    title = _("编辑 %(name)s（第 %(n)d 版）") % {"name": version.name, "n": version.version}
    return render_page(request, "catalog/console/edit.html", title, icon="edit", form=form, formset=formset,
                       version=version, status=400 if request.method == "POST" else 200)


def _post_action(request: HttpRequest, code: str, run) -> HttpResponse:
    item = _item(request, code)
    try:
        note = run(item)
    except actions.CatalogError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, note)
    return redirect("catalog_console:item", code=item.code)


@console_view
@require_POST
def version_new(request: HttpRequest, code: str) -> HttpResponse:
    def run(item):
        draft = actions.do_new_version(item, actor=request.user)
        return _("草稿：第 %(n)d 版") % {"n": draft.version}
    return _post_action(request, code, run)


@console_view
@require_POST
def version_publish(request: HttpRequest, code: str, number: int) -> HttpResponse:
    def run(item):
        version = get_object_or_404(item.versions, version=number)
        actions.do_publish(version, actor=request.user)
        return _("已发布第 %(n)d 版") % {"n": version.version}
    return _post_action(request, code, run)


@console_view
@require_POST
def version_discard(request: HttpRequest, code: str, number: int) -> HttpResponse:
    def run(item):
        version = get_object_or_404(item.versions, version=number)
        actions.do_discard_draft(version, actor=request.user)
        return _("已删除第 %(n)d 版草稿") % {"n": number}
    return _post_action(request, code, run)


@console_view
def export_items(request: HttpRequest) -> HttpResponse:
    items = queries.exported_items(request.user)
    return excel.export_response(ServiceItem.objects.none() if request.GET.get("template") else items)


@console_view
def import_items(request: HttpRequest) -> HttpResponse:
    require(request.user, MANAGE)
    errors: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [_("请选择要导入的 Excel 文件")]
        elif upload.size > 10 * 1024 * 1024:
            errors = [_("文件过大（上限 10 MB）")]
        else:
            try:
                result = excel.import_workbook(upload.read(), actor=request.user,
                                               publish=request.POST.get("publish") == "on")
            except excel.ImportFailed as exc:
                errors = exc.errors
            except PermissionDenied:
                raise
            else:
                messages.success(request, _("导入完成：新建 %(c)d 项，新版本 %(v)d 项，未变化 %(u)d 项") %
                                 {"c": result.created, "v": result.versioned, "u": result.unchanged})
                return redirect("catalog_console:list")
    return render_page(request, "catalog/console/import.html", _("导入事项"), icon="upload", errors=errors,
                       status=400 if errors else 200)


def _form_errors(form, exc: actions.CatalogError) -> None:
    for key, msg in exc.errors.items():
        form.add_error(key if key in form.fields else None, msg)
    if not exc.errors:
        form.add_error(None, exc.message)


# ---------------------------------------------------------------- life events (主题管理)

@console_view
def topic_list(request: HttpRequest) -> HttpResponse:
    events = queries.managed_life_events(request.user).annotate(item_count=Count("items", distinct=True),
                                                                bundle_count=Count("bundles", distinct=True))
    return render_page(request, "catalog/console/topics.html", _("主题管理"), icon="tag", events=events)


@console_view
def topic_create(request: HttpRequest) -> HttpResponse:
    actions.require_citywide(request.user, TOPIC)
    form = LifeEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = actions.do_create_life_event(actor=request.user, data=form.cleaned_data)
        except actions.CatalogError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已创建主题“%(n)s”") % {"n": event.name})
            return redirect("catalog_console:topics")
    return render_page(request, "catalog/console/topic_edit.html", _("新建主题"), icon="plus", form=form,
                       status=400 if request.method == "POST" else 200)


@console_view
def topic_edit(request: HttpRequest, code: str) -> HttpResponse:
    event = queries.access_life_event(request.user, code)
    form = LifeEventForm(request.POST or None, initial=LifeEventForm.initial_from(event))
    if request.method == "POST" and form.is_valid():
        try:
            event = actions.do_update_life_event(event, actor=request.user, data=form.cleaned_data)
        except actions.CatalogError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存主题“%(n)s”") % {"n": event.name})
            return redirect("catalog_console:topics")
    return _topic_page(request, event, form, status=400 if request.method == "POST" else 200)


def _topic_page(request: HttpRequest, event: LifeEvent, form, *, status: int = 200, refused: str = ""):
    bundles = event.bundles.select_related("lead_department")
    return render_page(request, "catalog/console/topic_edit.html", _("编辑主题：%(n)s") % {"n": event.name},
                       icon="tag", form=form, event=event, bundles=bundles, refused=refused, status=status)


@console_view
@require_POST
def topic_delete(request: HttpRequest, code: str) -> HttpResponse:
    event = queries.access_life_event(request.user, code)
    try:
        actions.do_delete_life_event(event, actor=request.user)
    except actions.CatalogConflict as exc:
        form = LifeEventForm(initial=LifeEventForm.initial_from(event))
        return _topic_page(request, event, form, status=409, refused=exc.message)
    messages.success(request, _("已删除主题“%(n)s”") % {"n": event.name})
    return redirect("catalog_console:topics")


# ---------------------------------------------------------------- bundles (一件事管理)

def _bundle(request: HttpRequest, code: str) -> Bundle:
    return queries.access_managed_bundle(request.user, code)


def _lead_departments(user) -> list[Department]:
    return [d for d in Department.objects.filter(is_active=True).select_related("region")
            if has_perm(user, BUNDLE, department=d)]


@console_view
def bundle_list(request: HttpRequest) -> HttpResponse:
    bundles = queries.managed_bundles(request.user).annotate(item_count=Count("items"))
    return render_page(request, "catalog/console/bundles.html", _("一件事管理"), icon="folder-open-inverse",
                       bundles=bundles)


def _merge_requested(request: HttpRequest, with_code: bool, departments, members=()) -> BundleForm:
    """The form as posted, with the combined form filled in from the chosen items' forms."""
    data = {name: request.POST.get(name, "") for name in ("code", "name", "description", "life_event",
                                                            "lead_department", "promised_days")}
    data["items"] = request.POST.getlist("items")
    items = (ServiceItem.objects.filter(code__in=data["items"], current__status=VersionStatus.PUBLISHED)
             .select_related("current").order_by("code"))
    merged = jsonform.merge([i.current.form_schema for i in items], title=data["name"])
    data["form_schema"] = json.dumps(merged, ensure_ascii=False, indent=2)
    return BundleForm(initial=data, departments=departments, members=members, with_code=with_code)


@console_view
def bundle_create(request: HttpRequest) -> HttpResponse:
    require(request.user, BUNDLE)
    departments = _lead_departments(request.user)
    if request.method == "POST" and "merge" in request.POST:
        form = _merge_requested(request, True, departments)
        return render_page(request, "catalog/console/bundle_edit.html", _("新建一件事"), icon="plus", form=form)
    form = BundleForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            bundle = actions.do_create_bundle(actor=request.user, code=data.pop("code"), data=data)
        except actions.CatalogError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已创建“一件事”“%(n)s”（未发布）") % {"n": bundle.name})
            return redirect("catalog_console:bundle", code=bundle.code)
    return render_page(request, "catalog/console/bundle_edit.html", _("新建一件事"), icon="plus", form=form,
                       status=400 if request.method == "POST" else 200)


def _bundle_page(request: HttpRequest, bundle: Bundle, form, *, status: int = 200):
    items = list(bundle.items.select_related("current", "department").order_by("code"))
    versions = [i.current for i in items if i.current_id and i.current.status == VersionStatus.PUBLISHED]
    schema = bundle.form_schema or jsonform.merge([v.form_schema for v in versions], title=bundle.name)
    problems = actions.publish_problems(items, bundle.form_schema, bundle.promised_days)
    return render_page(request, "catalog/console/bundle_edit.html", bundle.name, icon="folder-open-inverse",
                       form=form, bundle=bundle, items=items, problems=list(problems.values()),
                       preview=jsonform.render(schema), status=status)


@console_view
def bundle_detail(request: HttpRequest, code: str) -> HttpResponse:
    bundle = _bundle(request, code)
    departments = _lead_departments(request.user)
    members = list(bundle.items.values_list("code", flat=True))
    if request.method == "POST" and "merge" in request.POST:
        return _bundle_page(request, bundle, _merge_requested(request, False, departments, members))
    form = BundleForm(request.POST or None, initial=BundleForm.initial_from(bundle), departments=departments,
                      members=members, with_code=False)
    if request.method == "POST" and form.is_valid():
        try:
            bundle = actions.do_update_bundle(bundle, actor=request.user, data=form.cleaned_data)
        except actions.CatalogError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存“%(n)s”") % {"n": bundle.name})
            return redirect("catalog_console:bundle", code=bundle.code)
    return _bundle_page(request, bundle, form, status=400 if request.method == "POST" else 200)


def _bundle_state(request: HttpRequest, code: str, run, done: str) -> HttpResponse:
    bundle = _bundle(request, code)
    try:
        run(bundle, actor=request.user)
    except actions.CatalogConflict as exc:
        form = BundleForm(initial=BundleForm.initial_from(bundle), departments=_lead_departments(request.user),
                          members=list(bundle.items.values_list("code", flat=True)), with_code=False)
        messages.error(request, exc.message)
        return _bundle_page(request, bundle, form, status=409)
    messages.success(request, done % {"n": bundle.name})
    return redirect("catalog_console:bundle", code=bundle.code)


@console_view
@require_POST
def bundle_publish(request: HttpRequest, code: str) -> HttpResponse:
    return _bundle_state(request, code, actions.do_publish_bundle, _("已发布“%(n)s”，现在可以申报"))


@console_view
@require_POST
def bundle_unpublish(request: HttpRequest, code: str) -> HttpResponse:
    return _bundle_state(request, code, actions.do_unpublish_bundle, _("已停止“%(n)s”的申报；已提交的办件继续办理"))
