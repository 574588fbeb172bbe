"""Where a ready user task goes: department, role, label and time limit.

A task's BPMN properties give its role (``approver``, ``dept_head``…), default limit and,
for countersign steps and parallel branches, a ``slot``: the index into the process
configuration's ``branches`` for the application's item (or the process default). A slot
with no configured branch is skipped by the engine; a task without a slot goes to the
application's implementing department.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from zhengtong.core.org.models import Department
from zhengtong.services.workflow.models import ProcessConfig

DEFAULT_LIMIT_DAYS = 3
# A branch whose department code is "*" goes to the application's implementing department
# (a process default can then say "our own office, then the justice bureau" for every item).
OWN_DEPARTMENT = "*"


class RoutingError(ValueError):
    """The process configuration names something that does not exist."""


@dataclass(frozen=True)
class Route:
    department: Department
    role_code: str
    label: str
    limit_days: int
    decision: bool


def branches_for(process_key: str, item_code: str) -> list[dict]:
    rows = {c.item_code: c.branches for c in ProcessConfig.objects.filter(process_key=process_key,
                                                                          item_code__in=[item_code, ""])}
    return list(rows.get(item_code) or rows.get("") or [])


def _properties(spec) -> dict[str, str]:
    return dict((getattr(spec, "extensions", None) or {}).get("properties") or {})


def _int(value, default: int) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return default


def route(spec, *, application, branches: list[dict]) -> Route | None:
    """The route of a ready task of ``spec``; None when its slot has no configured branch."""
    props = _properties(spec)
    label = spec.bpmn_name or spec.name
    role = props.get("role", "approver")
    limit = _int(props.get("limit_days"), DEFAULT_LIMIT_DAYS)
    department = application.department
    if "slot" in props:
        slot = _int(props["slot"], -1)
        if slot < 0 or slot >= len(branches):
            return None
        branch = branches[slot]
        code = branch.get("department_code", "")
        department = (application.department if code == OWN_DEPARTMENT
                      else Department.objects.filter(code=code).first())
        if department is None:
            raise RoutingError(_("流程配置中的部门 %(code)s 不存在") % {"code": branch.get("department_code")})
        label = branch.get("label") or f"{label}（{department.short_name or department.name}）"
        role = branch.get("role") or role
        limit = _int(branch.get("limit_days"), limit)
    return Route(department, role, label, limit, props.get("decision") == "true")


def validate_branches(branches) -> list[dict]:
    """Normalise a configuration's branches; raise RoutingError with a Chinese message."""
    if not isinstance(branches, list) or not branches:
        raise RoutingError(_("请至少配置一个部门"))
    clean: list[dict] = []
    for n, branch in enumerate(branches, start=1):
        if not isinstance(branch, dict):
            raise RoutingError(_("第 %(n)s 个分支格式不正确") % {"n": n})
        code = str(branch.get("department_code", "")).strip()
        if code != OWN_DEPARTMENT and not Department.objects.filter(code=code, is_active=True).exists():
            raise RoutingError(_("第 %(n)s 个分支的部门 %(code)s 不存在或已停用") % {"n": n, "code": code or "—"})
        limit = branch.get("limit_days", DEFAULT_LIMIT_DAYS)
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 60:
            raise RoutingError(_("第 %(n)s 个分支的时限须为 1–60 个工作日") % {"n": n})
        role = str(branch.get("role") or "approver")
        clean.append({"department_code": code, "label": str(branch.get("label", "")).strip()[:60],
                      "limit_days": limit, "role": role})
    return clean
