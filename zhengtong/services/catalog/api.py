"""Catalog API (mounted at /api/v1/catalog/): public search and guides, bundles, life events;
for the departments, item maintenance (create, versions, edit, publish, discard) and the Excel
export and import; for the catalog administrators, life events (create, edit, delete) and
bundles (create, edit, publish, unpublish, drafts included) — the console's actions, called
the same way."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from zhengtong.core.api.errors import ErrorOut
from zhengtong.core.org.models import Department, Region
from zhengtong.core.permissions.checks import has_perm, require
from zhengtong.services.catalog import actions, excel, queries
from zhengtong.services.catalog.actions import CatalogConflict, CatalogError
from zhengtong.services.catalog.excel import ImportFailed, import_workbook
from zhengtong.services.catalog.models import (
    Bundle,
    ItemVersion,
    LifeEvent,
    ServiceItem,
    VersionStatus,
)
from zhengtong.services.catalog.registry import MANAGE
from zhengtong.services.catalog.schemas import (
    BundleIn,
    CatalogErrorOut,
    ItemIn,
    LifeEventIn,
    ManagedBundleOut,
    ManagedBundleRow,
    ManagedItemOut,
    ManagedLifeEventOut,
    NewBundleIn,
    VersionIn,
    VersionOut,
    VersionRow,
)

router = Router(tags=["catalog"])
PAGE_SIZE = 20
MAX_UPLOAD = 10 * 1024 * 1024


class ItemOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    department: str
    department_name: str
    region: str
    promised_days: int
    statutory_days: int
    online_depth: int
    process_key: str
    version: int


class ItemPage(Schema):
    count: int
    page: int
    pages: int
    items: list[ItemOut]


class ImportOut(Schema):
    created: int
    versioned: int
    unchanged: int
    codes: list[str]


class LifeEventOut(Schema):
    code: str
    name: str
    audience: str
    audience_label: str
    sort_order: int
    item_count: int


class BundleRef(Schema):
    code: str
    name: str


class LifeEventDetail(LifeEventOut):
    items: list[ItemOut]
    bundles: list[BundleRef]


class ImportErrorOut(Schema):
    code: str
    message: str
    errors: list[str]


def _item(item: ServiceItem) -> dict[str, Any]:
    v = item.current
    return {"code": item.code, "name": v.name, "kind": v.kind, "kind_label": v.get_kind_display(),
            "department": item.department.code, "department_name": item.department.name,
            "region": item.region.code, "promised_days": v.promised_days, "statutory_days": v.statutory_days,
            "online_depth": v.online_depth, "process_key": v.process_key, "version": v.version}


def _materials(version: ItemVersion) -> list[dict]:
    return [{"name": m.name, "form": m.form, "form_label": m.get_form_display(), "count": m.count,
             "required": m.required, "trust_level": m.trust_level, "shared_source": m.shared_source,
             "shared": m.fetched_from_share, "note": m.note} for m in version.materials.all()]


@router.get("/items", response=ItemPage, auth=None, summary="检索政务服务事项")
def list_items(request: HttpRequest, q: str = "", department: str = "", life_event: str = "", kind: str = "",
               audience: str = "", page: int = 1):
    items = queries.public_items(q=q, department=department, life_event=life_event, kind=kind, audience=audience)
    paged = Paginator(items, PAGE_SIZE).get_page(page)
    return {"count": paged.paginator.count, "page": paged.number, "pages": paged.paginator.num_pages,
            "items": [_item(i) for i in paged]}


@router.get("/items/{code}", response={200: dict, 404: ErrorOut}, auth=None, summary="办事指南")
def item_detail(request: HttpRequest, code: str):
    item = queries.public_item(code)
    if item is None:
        return Status(404, {"code": "not_found", "message": _("事项不存在或尚未发布")})
    v = item.current
    return Status(200, {
        **_item(item), "audience": v.audience, "legal_basis": v.legal_basis, "conditions": v.conditions,
        "process_description": v.process_description, "acceptance_days": v.acceptance_days,
        "special_steps": v.special_steps, "fees": v.fees, "free": v.is_free, "place": v.place, "hours": v.hours,
        "visits_needed": v.visits_needed, "consultation": v.consultation, "complaint": v.complaint,
        "faq": v.faq, "form_schema": v.form_schema, "materials": _materials(v),
        "life_events": [e.code for e in item.life_events.all()],
        "apply_url": f"/apply/new/{item.code}/",
    })


def _bundle(bundle: Bundle, full: bool) -> dict[str, Any]:
    out = {"code": bundle.code, "name": bundle.name, "description": bundle.description,
           "lead_department": bundle.lead_department.code, "lead_department_name": bundle.lead_department.name,
           "life_event": bundle.life_event.code if bundle.life_event_id else None,
           "promised_days": bundle.promised_days,
           "items": [v.item.code for v in queries.bundle_versions(bundle)]}
    if full:
        out["form_schema"] = bundle.form_schema
        out["materials"] = [{"name": m.name, "count": m.count, "required": m.required, "trust_level": m.trust_level,
                             "shared_source": m.shared_source, "items": m.items}
                            for m in queries.bundle_materials(bundle)]
        out["apply_url"] = f"/apply/bundle/{bundle.code}/"
    return out


@router.get("/bundles", response=list[dict], auth=None, summary="一件事列表")
def list_bundles(request: HttpRequest):
    return [_bundle(b, False) for b in queries.public_bundles()]


@router.get("/bundles/{code}", response={200: dict, 404: ErrorOut}, auth=None, summary="一件事详情")
def bundle_detail(request: HttpRequest, code: str):
    bundle = queries.public_bundles().filter(code=code).first()
    if bundle is None:
        return Status(404, {"code": "not_found", "message": _("一件事不存在或尚未发布")})
    return Status(200, _bundle(bundle, True))


def _life_event(event: LifeEvent, item_count: int) -> dict[str, Any]:
    return {"code": event.code, "name": event.name, "audience": event.audience,
            "audience_label": event.get_audience_display(), "sort_order": event.sort_order,
            "item_count": item_count}


@router.get("/life-events", response=list[LifeEventOut], auth=None, summary="主题列表（含已发布事项数）")
def list_life_events(request: HttpRequest):
    events = LifeEvent.objects.annotate(published=Count("items", filter=Q(items__current__status="published"),
                                                        distinct=True)).order_by("sort_order", "code")
    return [_life_event(e, e.published) for e in events]


@router.get("/life-events/{code}", response={200: LifeEventDetail, 404: ErrorOut}, auth=None,
            summary="主题详情：已发布的事项和“一件事”")
def life_event_detail(request: HttpRequest, code: str):
    event = LifeEvent.objects.filter(code=code).first()
    if event is None:
        return Status(404, {"code": "not_found", "message": _("主题不存在")})
    items = list(queries.public_items(life_event=code))
    return Status(200, {**_life_event(event, len(items)), "items": [_item(i) for i in items],
                        "bundles": [{"code": b.code, "name": b.name}
                                    for b in queries.public_bundles().filter(life_event=event)]})


@router.post("/import", response={200: ImportOut, 400: ImportErrorOut, 403: ErrorOut},
             summary="从 Excel 模板导入事项（全部成功或全部不导入）")
def import_items(request: HttpRequest, file: File[UploadedFile], publish: Form[bool] = True):
    if not has_perm(request.user, MANAGE):
        raise PermissionDenied(_("您没有“维护政务服务事项”的权限"))
    if file.size > MAX_UPLOAD:
        return Status(400, {"code": "too_large", "message": _("文件过大（上限 10 MB）"), "errors": []})
    try:
        result = import_workbook(file.read(), actor=request.user, publish=publish)
    except ImportFailed as exc:
        return Status(400, {"code": "import_failed", "message": _("导入失败，未写入任何数据"), "errors": exc.errors})
    return Status(200, {"created": result.created, "versioned": result.versioned, "unchanged": result.unchanged,
                        "codes": result.codes})


# ---------------------------------------------------------------- maintenance (the console's 事项管理)

FOUND = {403: ErrorOut, 404: ErrorOut}  # without the action; outside the scope, or unknown
INVALID = {400: CatalogErrorOut}
WRITE = {**FOUND, **INVALID, 409: CatalogErrorOut}  # 409: the object's state forbids it


def _refused(exc: CatalogError) -> Status:
    """A refused write: 409 for the object's state (publishing a published version, deleting a
    life event in use), 400 with the field errors otherwise. The action ran in one
    transaction, so nothing was written."""
    if isinstance(exc, CatalogConflict):
        return Status(409, {"code": "conflict", "message": exc.message, "errors": exc.errors})
    return Status(400, {"code": "invalid", "message": exc.message, "errors": exc.errors})


def _invalid(field: str, message: str) -> Status:
    return Status(400, {"code": "invalid", "message": _("事项信息有误：%(m)s") % {"m": message},
                        "errors": {field: message}})


def _version(item: ServiceItem, number: int) -> ItemVersion:
    version = item.versions.filter(version=number).first()
    if version is None:
        raise Http404(_("事项“%(c)s”没有第 %(n)d 版") % {"c": item.code, "n": number})
    return version


def _version_row(version: ItemVersion, item: ServiceItem) -> dict[str, Any]:
    return {"version": version.version, "status": version.status, "status_label": version.get_status_display(),
            "name": version.name, "published_at": version.published_at, "current": item.current_id == version.pk}


def _version_out(version: ItemVersion, item: ServiceItem) -> dict[str, Any]:
    return {**actions.snapshot(version), **_version_row(version, item), "item": item.code,
            "life_events": sorted(item.life_events.values_list("code", flat=True))}


def _fresh(item: ServiceItem) -> ServiceItem:
    """The item as the action left it (publishing moves ``current``)."""
    return ServiceItem.objects.select_related("current", "department", "region").get(pk=item.pk)


@router.post("/items", response={201: ManagedItemOut, 403: ErrorOut, **INVALID},
             summary="新建事项（含第一版草稿）")
def create_item(request: HttpRequest, payload: ItemIn):
    require(request.user, MANAGE)
    department = (Department.objects.filter(code=payload.department.strip(), is_active=True)
                  .select_related("region").first())
    if department is None:
        return _invalid("department", _("部门编码“%(c)s”不存在") % {"c": payload.department})
    region = None
    if payload.region:
        region = Region.objects.current().filter(code=payload.region.strip()).first()
        if region is None:
            return _invalid("region", _("区划代码“%(c)s”不存在") % {"c": payload.region})
    try:
        item = actions.do_create_item(
            actor=request.user, code=payload.code, department=department, region=region,
            content=payload.content.model_dump(exclude_unset=True),
            materials=[m.model_dump(exclude_unset=True) for m in payload.materials], life_events=payload.life_events)
    except CatalogError as exc:
        return _refused(exc)
    item = _fresh(item)
    return Status(201, {"code": item.code, "department": item.department.code,
                        "department_name": item.department.name, "region": item.region.code,
                        "current_version": None, "life_events": sorted(item.life_events.values_list("code", flat=True)),
                        "draft": _version_out(item.versions.get(), item)})


@router.get("/items/{code}/versions", response={200: list[VersionRow], **FOUND},
            summary="事项的全部版本（本人可维护的事项，含草稿）")
def list_versions(request: HttpRequest, code: str):
    item = queries.access_managed_item(request.user, code)
    return Status(200, [_version_row(v, item) for v in item.versions.order_by("-version")])


@router.post("/items/{code}/versions", response={200: VersionOut, 201: VersionOut, **FOUND},
             summary="开始新版本（复制现行版本为草稿；已有草稿时返回该草稿）")
def new_version(request: HttpRequest, code: str):
    item = queries.access_managed_item(request.user, code)
    open_draft = item.versions.filter(status=VersionStatus.DRAFT).values_list("pk", flat=True).first()
    draft = actions.do_new_version(item, actor=request.user)
    return Status(200 if draft.pk == open_draft else 201, _version_out(draft, item))


@router.get("/items/{code}/versions/{number}", response={200: VersionOut, **FOUND},
            summary="事项的一个版本：指南要素和申请材料（含草稿）")
def version_detail(request: HttpRequest, code: str, number: int):
    item = queries.access_managed_item(request.user, code)
    return Status(200, _version_out(_version(item, number), item))


@router.put("/items/{code}/versions/{number}", response={200: VersionOut, **WRITE},
            summary="修改版本（已发布的版本不可改，即修改新草稿；返回实际写入的版本）")
def edit_version(request: HttpRequest, code: str, number: int, payload: VersionIn):
    item = queries.access_managed_item(request.user, code)
    version = _version(item, number)
    materials = None if payload.materials is None else [m.model_dump(exclude_unset=True) for m in payload.materials]
    try:
        saved = actions.do_edit(version, actor=request.user, content=payload.content.model_dump(exclude_unset=True),
                                materials=materials, life_events=payload.life_events)
    except CatalogError as exc:
        return _refused(exc)
    return Status(200, _version_out(saved, _fresh(item)))


@router.post("/items/{code}/versions/{number}/publish", response={200: VersionOut, **WRITE},
             summary="发布草稿版本（原发布的版本停用）")
def publish_version(request: HttpRequest, code: str, number: int):
    item = queries.access_managed_item(request.user, code)
    try:
        version = actions.do_publish(_version(item, number), actor=request.user)
    except CatalogError as exc:
        return _refused(exc)
    return Status(200, _version_out(version, _fresh(item)))


@router.delete("/items/{code}/versions/{number}", response={204: None, **WRITE},
               summary="删除草稿版本（不能删除事项唯一的版本）")
def discard_version(request: HttpRequest, code: str, number: int):
    item = queries.access_managed_item(request.user, code)
    try:
        actions.do_discard_draft(_version(item, number), actor=request.user)
    except CatalogError as exc:
        return _refused(exc)
    return Status(204, None)


@router.get("/export", response={403: ErrorOut},
            summary="导出本人可维护的事项到 Excel 模板（template=1 为空模板）")
def export_items(request: HttpRequest, template: bool = False) -> HttpResponse:
    items = queries.exported_items(request.user)
    return excel.export_response(ServiceItem.objects.none() if template else items)


# ---------------------------------------------------------------- life events (the console's 主题管理)

def _managed_life_event(event: LifeEvent) -> dict[str, Any]:
    return {**actions.life_event_snapshot(event), "audience_label": event.get_audience_display(),
            "bundles": sorted(event.bundles.values_list("code", flat=True))}


@router.post("/life-events", response={201: ManagedLifeEventOut, 403: ErrorOut, **INVALID},
             summary="新建主题（须有全市范围的授权）")
def create_life_event(request: HttpRequest, payload: LifeEventIn):
    try:
        event = actions.do_create_life_event(actor=request.user, data=payload.model_dump(exclude_unset=True))
    except CatalogError as exc:
        return _refused(exc)
    return Status(201, _managed_life_event(event))


@router.put("/life-events/{code}", response={200: ManagedLifeEventOut, **WRITE},
            summary="修改主题（只改所给字段；items 给出时替换主题下的事项）")
def edit_life_event(request: HttpRequest, code: str, payload: LifeEventIn):
    event = queries.access_life_event(request.user, code)
    data = {"code": event.code, "name": event.name, "audience": event.audience, "sort_order": event.sort_order,
            **payload.model_dump(exclude_unset=True)}
    try:
        event = actions.do_update_life_event(event, actor=request.user, data=data)
    except CatalogError as exc:
        return _refused(exc)
    return Status(200, _managed_life_event(event))


@router.delete("/life-events/{code}", response={204: None, **FOUND, 409: CatalogErrorOut},
               summary="删除主题（其下仍有事项或“一件事”时不能删除）")
def delete_life_event(request: HttpRequest, code: str):
    event = queries.access_life_event(request.user, code)
    try:
        actions.do_delete_life_event(event, actor=request.user)
    except CatalogError as exc:
        return _refused(exc)
    return Status(204, None)


# ---------------------------------------------------------------- bundles (the console's 一件事管理)

def _managed_bundle(bundle: Bundle) -> dict[str, Any]:
    """The bundle as stored (as the action left it), with what stands in the way of publishing it."""
    bundle = Bundle.objects.select_related("lead_department", "life_event").get(pk=bundle.pk)
    items = list(bundle.items.select_related("current").order_by("code"))
    return {"code": bundle.code, "name": bundle.name, "description": bundle.description,
            "lead_department": bundle.lead_department.code, "lead_department_name": bundle.lead_department.name,
            "life_event": bundle.life_event.code if bundle.life_event_id else None,
            "promised_days": bundle.promised_days, "form_schema": bundle.form_schema,
            "items": [i.code for i in items], "published": bundle.published,
            "problems": actions.publish_problems(items, bundle.form_schema, bundle.promised_days)}


@router.get("/staff/bundles", response={200: list[ManagedBundleRow], 403: ErrorOut},
            summary="本人可维护的“一件事”（按牵头部门，含未发布的）")
def list_managed_bundles(request: HttpRequest):
    bundles = queries.managed_bundles(request.user).annotate(item_count=Count("items"))
    return Status(200, [{"code": b.code, "name": b.name, "lead_department": b.lead_department.code,
                         "lead_department_name": b.lead_department.name,
                         "life_event": b.life_event.code if b.life_event_id else None,
                         "promised_days": b.promised_days, "published": b.published, "item_count": b.item_count}
                        for b in bundles])


@router.get("/staff/bundles/{code}", response={200: ManagedBundleOut, **FOUND},
            summary="“一件事”详情（含未发布的；problems 为不能发布的原因）")
def managed_bundle_detail(request: HttpRequest, code: str):
    return Status(200, _managed_bundle(queries.access_managed_bundle(request.user, code)))


@router.post("/bundles", response={201: ManagedBundleOut, 403: ErrorOut, **INVALID},
             summary="新建“一件事”（未发布；牵头部门须在本人范围内）")
def create_bundle(request: HttpRequest, payload: NewBundleIn):
    data = payload.model_dump(exclude_unset=True)
    try:
        bundle = actions.do_create_bundle(actor=request.user, code=data.pop("code"), data=data)
    except CatalogError as exc:
        return _refused(exc)
    return Status(201, _managed_bundle(bundle))


@router.put("/bundles/{code}", response={200: ManagedBundleOut, **WRITE},
            summary="修改“一件事”（只改所给字段；已发布的须仍满足发布条件）")
def edit_bundle(request: HttpRequest, code: str, payload: BundleIn):
    bundle = queries.access_managed_bundle(request.user, code)
    current = actions.bundle_snapshot(bundle)
    data = {**{name: current[name] for name in actions.BUNDLE_FIELDS}, **payload.model_dump(exclude_unset=True)}
    try:
        bundle = actions.do_update_bundle(bundle, actor=request.user, data=data)
    except CatalogError as exc:
        return _refused(exc)
    return Status(200, _managed_bundle(bundle))


@router.post("/bundles/{code}/publish", response={200: ManagedBundleOut, **WRITE},
             summary="发布“一件事”（不满足发布条件时 409，errors 列出原因）")
def publish_bundle(request: HttpRequest, code: str):
    bundle = queries.access_managed_bundle(request.user, code)
    try:
        bundle = actions.do_publish_bundle(bundle, actor=request.user)
    except CatalogError as exc:
        return _refused(exc)
    return Status(200, _managed_bundle(bundle))


@router.post("/bundles/{code}/unpublish", response={200: ManagedBundleOut, **WRITE},
             summary="停止“一件事”的申报（已提交的办件继续办理）")
def unpublish_bundle(request: HttpRequest, code: str):
    bundle = queries.access_managed_bundle(request.user, code)
    try:
        bundle = actions.do_unpublish_bundle(bundle, actor=request.user)
    except CatalogError as exc:
        return _refused(exc)
    return Status(200, _managed_bundle(bundle))
