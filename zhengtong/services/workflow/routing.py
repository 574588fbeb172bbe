"""Where a ready user task goes: department, role, label and time limit.

A task's BPMN properties give its role (``approver``, ``dept_head``…), default limit and,
for countersign steps and parallel branches, a ``slot``: the index into the process
configuration's ``branches`` for the application's item (or the process default). A slot
with no configured branch is skipped by the engine; a task without a slot goes to the
application's implementing department.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from zhengtong.core.db.compiled import CompiledQuery
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


_CONFIGS = CompiledQuery(lambda process_key, item_code: ProcessConfig.objects.filter(
    Q(item_code=item_code) | Q(item_code=""), process_key=process_key).order_by().values_list("item_code", "branches"))


def branches_for(process_key: str, item_code: str) -> list[dict]:
    """The item's own branch configuration of the process, else the process's default."""
    rows = dict(_CONFIGS.all(process_key, item_code))
    return list(rows.get(item_code) or rows.get("") or [])


def _properties(spec) -> dict[str, str]:
    return dict((getattr(spec, "extensions", None) or {}).get("properties") or {})


def _int(value, default: int) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return default


def uses_slot(spec) -> bool:
    """Does a task of ``spec`` take its department from the configuration's branches?"""
    return "slot" in _properties(spec)


_BY_CODE = CompiledQuery(lambda code: Department.objects.select_related("region").filter(code=code).order_by("pk")[:1])


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
        department = application.department if code == OWN_DEPARTMENT else _BY_CODE.first(str(code))
        if department is None:
            raise RoutingError(_("流程配置中的部门 %(code)s 不存在") % {"code": branch.get("department_code")})
        label = branch.get("label") or f"{label}（{department.short_name or department.name}）"
        role = branch.get("role") or role
        limit = _int(branch.get("limit_days"), limit)
    return Route(department, role, label, limit, props.get("decision") == "true")


def task_roles() -> dict[str, str]:
    """Roles whose holders may do approval tasks (code → name): what a task or branch may name."""
    from zhengtong.core.permissions.models import Role
    from zhengtong.services.workflow.registry import COMPLETE

    return {r.code: r.display_name for r in Role.objects.order_by("code") if COMPLETE in (r.actions or [])}


def check_branches(branches, *, defaults: list[dict] | None = None,
                   own_department: str = "") -> tuple[list[dict], dict[str, str]]:
    """Normalise a configuration's branches and collect every problem.

    Problems are keyed ``branches`` or ``branches.<i>.<field>`` (``i`` from 0), each message
    saying which branch (from 1). ``defaults``: per slot of the process, the ``role`` and
    ``limit_days`` a branch takes when it gives none, and how many slots there are.
    ``own_department``: the department ``"*"`` stands for (an item's implementing department),
    so that naming it twice is caught."""
    if not isinstance(branches, list) or not branches:
        return [], {"branches": _("请至少配置一个部门")}
    errors: dict[str, str] = {}
    if defaults is not None and len(branches) > len(defaults):
        errors["branches"] = _("该流程只有 %(slots)s 个可配置的环节，配置了 %(n)s 个") % {"slots": len(defaults),
                                                                               "n": len(branches)}
    codes = {str(b.get("department_code", "")).strip() for b in branches if isinstance(b, dict)}
    active = set(Department.objects.filter(code__in=codes, is_active=True).values_list("code", flat=True))
    roles = task_roles()
    seen: dict[str, int] = {}
    clean: list[dict] = []
    for i, branch in enumerate(branches):
        n, at = i + 1, f"branches.{i}"
        if not isinstance(branch, dict):
            errors[at] = _("第 %(n)s 个分支格式不正确") % {"n": n}
            continue
        slot = defaults[i] if defaults and i < len(defaults) else {}
        code = str(branch.get("department_code", "")).strip()
        if code != OWN_DEPARTMENT and code not in active:
            errors[f"{at}.department_code"] = (_("第 %(n)s 个分支的部门 %(code)s 不存在或已停用")
                                               % {"n": n, "code": code or "—"})
        else:
            same = own_department if code == OWN_DEPARTMENT and own_department else code
            if same in seen:
                errors[f"{at}.department_code"] = (_("第 %(n)s 个分支的部门与第 %(m)s 个分支重复")
                                                   % {"n": n, "m": seen[same]})
            seen.setdefault(same, n)
        limit = branch.get("limit_days")
        limit = (slot.get("limit_days") or DEFAULT_LIMIT_DAYS) if limit is None else limit
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 60:
            errors[f"{at}.limit_days"] = _("第 %(n)s 个分支的时限须为 1–60 个工作日") % {"n": n}
        role = str(branch.get("role") or slot.get("role") or "approver").strip()
        if role not in roles:
            errors[f"{at}.role"] = (_("第 %(n)s 个分支的办理角色 %(role)s 不存在或不能办理审批任务")
                                    % {"n": n, "role": role})
        label = str(branch.get("label") or "").strip()
        if len(label) > 60:
            errors[f"{at}.label"] = _("第 %(n)s 个分支的名称不能超过 60 个字") % {"n": n}
        clean.append({"department_code": code, "label": label, "limit_days": limit, "role": role})
    return clean, errors


def validate_branches(branches) -> list[dict]:
    """Normalise a configuration's branches; raise RoutingError with the first problem (Chinese)."""
    clean, errors = check_branches(branches)
    if errors:
        raise RoutingError(next(iter(errors.values())))
    return clean
