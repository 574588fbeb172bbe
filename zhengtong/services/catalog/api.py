"""Catalog API (mounted at /api/v1/catalog/): public search and guides, bundles, life events,
Excel import."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from zhengtong.core.api.errors import ErrorOut
from zhengtong.core.permissions.checks import has_perm
from zhengtong.services.catalog import queries
from zhengtong.services.catalog.excel import ImportFailed, import_workbook
from zhengtong.services.catalog.models import Bundle, ItemVersion, LifeEvent, ServiceItem
from zhengtong.services.catalog.registry import MANAGE

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
                                                        distinct=True))
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
