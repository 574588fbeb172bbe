"""The spine's API routes. Each router lives beside its app; this module mounts them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import ValidationError as NinjaValidationError

from zhengtong.api import api
from zhengtong.core.identifiers import IdentifierError, mask_id_number, person_facts
from zhengtong.core.org.models import Department, Region
from zhengtong.lib import labels

router = Router(tags=["core"])


class MeOut(Schema):
    username: str
    display_name: str
    kind: str
    department: str | None
    roles: list[str]


@router.get("/me", response=MeOut, summary="当前用户")
def me(request):
    from zhengtong.core.permissions.checks import role_codes

    user = request.user
    return {"username": user.username if user.kind == "staff" else mask_id_number(user.username)
            if user.kind == "citizen" else user.username,
            "display_name": user.display_name, "kind": user.kind,
            "department": user.department.name if user.department_id else None, "roles": role_codes(user)}


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None


@router.get("/regions", response=list[RegionOut], auth=None, summary="行政区划")
def regions(request, parent: str | None = None):
    qs = Region.objects.current().select_related("parent")
    if parent:
        qs = qs.filter(parent__code=parent)
    return [{"code": r.code, "name": r.name, "level": r.level, "parent": r.parent.code if r.parent else None}
            for r in qs]


class DepartmentOut(Schema):
    code: str
    name: str
    region: str
    parent: str | None


@router.get("/departments", response=list[DepartmentOut], auth=None, summary="部门")
def departments(request, region: str | None = None):
    qs = Department.objects.filter(is_active=True).select_related("region", "parent")
    if region:
        qs = qs.filter(region__code=region)
    return [{"code": d.code, "name": d.name, "region": d.region.code, "parent": d.parent.code if d.parent else None}
            for d in qs]


class IdCheckIn(Schema):
    id_number: str


class IdCheckOut(Schema):
    valid: bool
    message: str = ""
    birth_date: str | None = None
    gender: str | None = None
    masked: str | None = None


@router.post("/identifiers/id-number", response=IdCheckOut, auth=None, summary="校验公民身份号码")
def check_id_number(request, payload: IdCheckIn):
    try:
        facts = person_facts(payload.id_number)
    except IdentifierError as exc:
        return {"valid": False, "message": str(exc)}
    return {"valid": True, "birth_date": facts.birth_date.isoformat(), "gender": facts.gender,
            "masked": mask_id_number(payload.id_number.strip().upper())}


api.add_router("/", router)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"code": "forbidden", "message": str(exc) or _("没有权限")}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"code": "not_found", "message": str(exc) or _("对象不存在")}, status=404)


@api.exception_handler(IdentifierError)
def _bad_identifier(request, exc):
    return api.create_response(request, {"code": "invalid_identifier", "message": str(exc)}, status=400)


@api.exception_handler(NinjaValidationError)
def _schema_invalid(request, exc):
    """Ninja's schema errors as 400 with the platform's error shape (not ninja's 422)."""
    colon, separator = labels.colon(), labels.list_separator()
    details = []
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", ())[1:]) or _("请求")
        what = error.get("msg") or _("格式不正确")
        details.append(f"{where}{colon}{what}")
    message = _("请求数据不符合接口要求") + colon + separator.join(details)
    return api.create_response(request, {"code": "invalid_request", "message": message, "errors": exc.errors},
                               status=400)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return api.create_response(request, {"code": "invalid", "message": labels.list_separator().join(exc.messages)},
                               status=400)
