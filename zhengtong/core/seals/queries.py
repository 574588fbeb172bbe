"""Scoped reads of seals and signed documents for the console and API."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zhengtong.core.org.models import Department
from zhengtong.core.permissions.checks import has_perm, require, scope_q
from zhengtong.core.seals.models import Seal, SignedDocument


@dataclass(frozen=True)
class DepartmentSeals:
    department: Department
    active: Seal | None
    retired: list[Seal]


def departments_in_scope(user, action: str) -> list[Department]:
    """Active departments where ``user`` holds ``action`` (few enough to check one by one)."""
    if not has_perm(user, action):
        return []
    departments = Department.objects.filter(is_active=True).select_related("region")
    return [d for d in departments if has_perm(user, action, department=d)]


def seals_by_department(user) -> list[DepartmentSeals]:
    departments = departments_in_scope(user, "seals.manage")
    seals: dict[int, list[Seal]] = {}
    for seal in Seal.objects.filter(department__in=departments).order_by("-created_at"):
        seals.setdefault(seal.department_id, []).append(seal)
    rows = []
    for department in departments:
        own = seals.get(department.id, [])
        active = next((s for s in own if s.active), None)
        rows.append(DepartmentSeals(department, active, [s for s in own if not s.active]))
    return rows


def signing_departments(user) -> QuerySet[Department]:
    """Departments whose active seal ``user`` may sign with."""
    ids = [d.id for d in departments_in_scope(user, "seals.document.sign")]
    return Department.objects.filter(id__in=ids, seals__active=True).order_by("code")


def documents_for(user) -> QuerySet[SignedDocument]:
    q = scope_q(user, "seals.document.sign", department_field="seal__department")
    return SignedDocument.objects.filter(q).select_related("seal__department", "signed_by")


def access_department_by_id(user, department_id: int, action: str) -> Department:
    department = Department.objects.select_related("region").filter(pk=department_id).first()
    if department is None:
        raise Http404(_("部门不存在"))
    require(user, action, department=department)
    return department


def access_document_by_id(user, document_id: int) -> SignedDocument:
    document = (SignedDocument.objects.select_related("seal__department__region", "signed_by", "attachment")
                .filter(pk=document_id).first())
    if document is None:
        raise Http404(_("签章文件不存在"))
    if not has_perm(user, "seals.document.sign", department=document.seal.department):
        raise PermissionDenied(_("您没有查看该签章文件的权限"))
    return document
