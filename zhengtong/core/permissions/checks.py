"""Permission checks, in one place: ``has_perm`` for one object, ``scope_q`` for a queryset."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, F, Q, Value
from django.db.models.lookups import StartsWith
from django.utils.translation import gettext as _

from zhengtong.core.db.compiled import CompiledQuery
from zhengtong.core.permissions.models import Grant, Role, Scope
from zhengtong.core.permissions.registry import ACTIONS


def _grants(user) -> list[Grant]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_zt_grants", None)
    if cached is None:
        cached = list(Grant.objects.active().filter(user=user).select_related("role", "department", "region"))
        user._zt_grants = cached
        user._zt_role_codes = sorted({g.role.code for g in cached})
    return cached


def forget(user) -> None:
    """Drop the per-request cache after grants change."""
    for attr in ("_zt_grants", "_zt_role_codes"):
        if hasattr(user, attr):
            delattr(user, attr)


def role_codes(user) -> list[str]:
    _grants(user)
    return getattr(user, "_zt_role_codes", [])


def holds_role(user, code: str) -> bool:
    return code in role_codes(user)


def _covers(grant: Grant, department) -> bool:
    """Does ``grant`` reach ``department``? Subtree: the department and its descendants.
    Region: every department of the region *and of its sub-regions* (a city grant covers
    the counties' departments; a county grant never reaches the city's)."""
    if grant.scope == Scope.CITY:
        return True
    if department is None:
        return False
    if grant.scope == Scope.DEPARTMENT:
        return grant.department_id == department.id
    if grant.scope == Scope.SUBTREE:
        return department.path.startswith(grant.department.path)
    if grant.scope == Scope.REGION:
        return department.region.path.startswith(grant.region.path)
    return False


def has_perm(user, action: str, *, department=None) -> bool:
    """May ``user`` perform ``action``? With ``department``, also within the grant's data scope."""
    if action not in ACTIONS:
        raise KeyError(f"unregistered action {action!r}")
    grants = [g for g in _grants(user) if action in g.role.actions]
    if department is None:
        return bool(grants)
    return any(_covers(g, department) for g in grants)


def require(user, action: str, *, department=None) -> None:
    if not has_perm(user, action, department=department):
        label = ACTIONS[action].label
        raise PermissionDenied(_("您没有“%(action)s”的权限") % {"action": label})


def scope_q(user, action: str, *, department_field: str = "department") -> Q:
    """A filter restricting a queryset to rows whose department lies in the user's scope."""
    q = Q(pk__in=[])
    for grant in _grants(user):
        if action not in grant.role.actions:
            continue
        if grant.scope == Scope.CITY:
            return Q()
        if grant.scope == Scope.DEPARTMENT:
            q |= Q(**{f"{department_field}_id": grant.department_id})
        elif grant.scope == Scope.SUBTREE:
            q |= Q(**{f"{department_field}__path__startswith": grant.department.path})
        elif grant.scope == Scope.REGION:
            q |= Q(**{f"{department_field}__region__path__startswith": grant.region.path})
    return q


def _reaching(department_id: int, department_path: str, region_path: str):
    """Active grants of active users whose scope reaches the department — ``_covers`` in SQL,
    with one shape for every department (a path is a prefix of another: ``LIKE path || '%'``)."""
    return Grant.objects.active().filter(user__is_active=True).filter(
        Q(scope=Scope.CITY) | Q(scope=Scope.DEPARTMENT, department_id=department_id)
        | Q(StartsWith(Value(department_path, output_field=CharField()), F("department__path")),
            scope=Scope.SUBTREE)
        | Q(StartsWith(Value(region_path, output_field=CharField()), F("region__path")), scope=Scope.REGION))


# Who is told about new work runs in nearly every action; compiled once (core.db.compiled).
_REACHING = CompiledQuery(lambda department_id, department_path, region_path: _reaching(
    department_id, department_path, region_path).values_list("user_id", "role__actions"))
_REACHING_WITH_ROLE = CompiledQuery(lambda role_code, department_id, department_path, region_path: _reaching(
    department_id, department_path, region_path).filter(role__code=role_code).values_list("user_id", "role__actions"))


def holder_ids(action: str, *, department, role_code: str | None = None) -> list[int]:
    """Ids of the active users granted ``action`` in a scope that reaches ``department`` (and,
    with ``role_code``, through that role): whom to tell about new work there."""
    where = (department.pk, department.path, department.region.path)
    rows = _REACHING.all(*where) if role_code is None else _REACHING_WITH_ROLE.all(role_code, *where)
    return sorted({user_id for user_id, actions in rows if action in actions})


def holders(action: str, *, department=None) -> list:
    """Active users granted ``action``; with ``department``, only those whose scope reaches it
    (e.g. the clerks to tell about a new application, the heads to warn about a red case)."""
    from zhengtong.core.accounts.models import User

    if department is not None:
        return list(User.objects.filter(pk__in=holder_ids(action, department=department)).order_by("pk"))
    role_ids = [pk for pk, actions in Role.objects.values_list("pk", "actions") if action in actions]
    grants = Grant.objects.active().filter(user__is_active=True, role_id__in=role_ids).select_related("user")
    return list({g.user_id: g.user for g in grants}.values())
