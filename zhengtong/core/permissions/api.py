"""Security admin API, mounted at /api/v1/permissions/: list, grant and revoke role grants."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from zhengtong.core.api.errors import ErrorOut
from zhengtong.core.org.models import Department, Region
from zhengtong.core.permissions import queries
from zhengtong.core.permissions.actions import GrantRefused, check_grant_role, do_revoke_grant
from zhengtong.core.permissions.checks import require
from zhengtong.core.permissions.models import Grant, Role, Scope

router = Router(tags=["permissions"])


class GrantOut(Schema):
    id: int
    user: str
    role: str
    scope: str
    department: str | None
    region: str | None
    granted_by: str | None
    granted_at: dt.datetime


class GrantIn(Schema):
    user: str
    role: str
    scope: str = Scope.DEPARTMENT
    department: str | None = None
    region: str | None = None


def _out(grant: Grant) -> dict:
    return {"id": grant.id, "user": grant.user.username, "role": grant.role.code, "scope": grant.scope,
            "department": grant.department.code if grant.department_id else None,
            "region": grant.region.code if grant.region_id else None,
            "granted_by": grant.granted_by.username if grant.granted_by_id else None,
            "granted_at": grant.granted_at}


@router.get("/grants", response=list[GrantOut], summary="现有授权")
def list_grants(request, q: str = ""):
    require(request.user, "permissions.grant")
    return [_out(g) for g in queries.active_grants(q=q)]


@router.post("/grants", response={201: GrantOut, 400: ErrorOut}, summary="授予角色")
def grant(request, payload: GrantIn):
    require(request.user, "permissions.grant")
    user = get_object_or_404(get_user_model(), username=payload.user)
    role = get_object_or_404(Role, code=payload.role)
    department = get_object_or_404(Department, code=payload.department) if payload.department else None
    region = get_object_or_404(Region, code=payload.region) if payload.region else None
    try:
        created = check_grant_role(actor=request.user, user=user, role=role, scope=payload.scope,
                                   department=department, region=region)
    except GrantRefused as exc:
        return Status(400, {"code": "grant_refused", "message": str(exc)})
    return Status(201, _out(created))


@router.delete("/grants/{grant_id}", response={204: None, 400: ErrorOut}, summary="收回授权")
def revoke(request, grant_id: int):
    require(request.user, "permissions.grant")
    found = get_object_or_404(Grant.objects.select_related("user", "role"), pk=grant_id)
    try:
        do_revoke_grant(actor=request.user, grant=found)
    except GrantRefused as exc:
        return Status(400, {"code": "grant_refused", "message": str(exc)})
    return Status(204, None)
