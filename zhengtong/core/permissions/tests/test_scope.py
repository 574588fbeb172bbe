"""Data scopes of grants, for one object (``has_perm``) and for querysets (``scope_q``).

A region scope covers the region and every region below it: a grant on 示范市 covers the
市 departments and 东湖县's departments too; a grant on 东湖县 covers only the county's.
"""

from __future__ import annotations

import pytest

from zhengtong.core.permissions.checks import forget, has_perm, require, scope_q
from zhengtong.core.permissions.models import Grant, Role, Scope
from zhengtong.testing.personas import staff

ACTION = "timelimits.case.view"


@pytest.fixture
def viewer(city):
    return staff("viewer.wu", "吴昊", city.dept("market"))


def _grant(user, scope, *, department=None, region=None):
    Grant.objects.create(user=user, role=Role.objects.get(code="supervisor"), scope=scope,
                         department=department, region=region)
    forget(user)


def _codes(user) -> set[str]:
    """Departments of the staff members visible to ``user`` through ``scope_q``."""
    from zhengtong.core.accounts.models import User

    rows = User.objects.filter(kind="staff").filter(scope_q(user, ACTION)).values_list("department__code", flat=True)
    return set(rows)


@pytest.fixture
def staff_everywhere(city):
    for key in ("market", "market_sub", "approval", "county_approval"):
        staff(f"member.{key}", f"成员{key}", city.dept(key), totp=False)


def test_no_grant_no_permission(viewer, city):
    assert not has_perm(viewer, ACTION)
    assert not has_perm(viewer, ACTION, department=city.dept("market"))
    assert _codes(viewer) == set()


def test_department_scope_covers_only_that_department(viewer, city, staff_everywhere):
    _grant(viewer, Scope.DEPARTMENT, department=city.dept("market"))
    assert has_perm(viewer, ACTION, department=city.dept("market"))
    assert not has_perm(viewer, ACTION, department=city.dept("market_sub"))
    assert not has_perm(viewer, ACTION, department=city.dept("approval"))
    assert _codes(viewer) == {"SF-SCJG"}


def test_subtree_scope_includes_children_and_excludes_siblings(viewer, city, staff_everywhere):
    _grant(viewer, Scope.SUBTREE, department=city.dept("market"))
    assert has_perm(viewer, ACTION, department=city.dept("market"))
    assert has_perm(viewer, ACTION, department=city.dept("market_sub"))
    assert not has_perm(viewer, ACTION, department=city.dept("approval"))
    assert _codes(viewer) == {"SF-SCJG", "SF-SCJG-1"}


def test_region_scope_covers_the_region_and_its_sub_regions(viewer, city, staff_everywhere):
    _grant(viewer, Scope.REGION, region=city.city)
    assert has_perm(viewer, ACTION, department=city.dept("approval"))
    assert has_perm(viewer, ACTION, department=city.dept("county_approval"))
    assert _codes(viewer) == {"SF-SCJG", "SF-SCJG-1", "SF-XZSP", "DH-XZSP"}


def test_county_region_scope_excludes_city_departments(viewer, city, staff_everywhere):
    _grant(viewer, Scope.REGION, region=city.county)
    assert has_perm(viewer, ACTION, department=city.dept("county_approval"))
    assert not has_perm(viewer, ACTION, department=city.dept("approval"))
    assert _codes(viewer) == {"DH-XZSP"}


def test_city_scope_covers_everything(viewer, city, staff_everywhere):
    _grant(viewer, Scope.CITY)
    for key in ("market", "market_sub", "approval", "county_approval", "office"):
        assert has_perm(viewer, ACTION, department=city.dept(key))
    assert _codes(viewer) == {"SF-SCJG", "SF-SCJG-1", "SF-XZSP", "DH-XZSP"}


def test_another_action_is_not_covered(viewer, city):
    _grant(viewer, Scope.CITY)
    assert not has_perm(viewer, "timelimits.case.extend", department=city.dept("market"))
    with pytest.raises(Exception, match="批准延期"):
        require(viewer, "timelimits.case.extend")


def test_a_revoked_grant_stops_counting(viewer, city):
    _grant(viewer, Scope.CITY)
    Grant.objects.filter(user=viewer).update(revoked_at="2025-01-01T00:00:00Z")
    forget(viewer)
    assert not has_perm(viewer, ACTION)


def test_an_inactive_user_has_no_permission(viewer, city):
    _grant(viewer, Scope.CITY)
    viewer.is_active = False
    forget(viewer)
    assert not has_perm(viewer, ACTION)


def test_unknown_actions_are_a_programming_error(viewer):
    with pytest.raises(KeyError):
        has_perm(viewer, "no.such.action")


def test_holders_lists_users_whose_scope_reaches_a_department(city, clerk, other_clerk, supervisor):
    from zhengtong.core.permissions.checks import holders

    assert set(holders("accounts.person.read")) == {clerk, other_clerk}
    assert holders("accounts.person.read", department=city.dept("approval")) == [clerk]
    assert holders("timelimits.case.view", department=city.dept("county_approval")) \
        and supervisor in holders("timelimits.case.view", department=city.dept("county_approval"))


@pytest.mark.parametrize("scope, where", [
    (Scope.CITY, {}), (Scope.DEPARTMENT, {"department": "market"}), (Scope.SUBTREE, {"department": "market"}),
    (Scope.REGION, {"region": "city"}), (Scope.REGION, {"region": "county"}),
])
def test_holder_ids_reach_exactly_the_departments_has_perm_reaches(viewer, city, scope, where):
    """``holder_ids`` is ``_covers`` in SQL: for every department it names a holder exactly
    when ``has_perm`` says the holder may act there."""
    from zhengtong.core.permissions.checks import holder_ids

    scoped = {k: city.dept(v) for k, v in where.items() if k == "department"}
    scoped |= {k: getattr(city, v) for k, v in where.items() if k == "region"}
    _grant(viewer, scope, **scoped)
    reached = 0
    for department in city.depts.values():
        allowed = has_perm(viewer, ACTION, department=department)
        assert (viewer.pk in holder_ids(ACTION, department=department)) == allowed, department.code
        assert (viewer.pk in holder_ids(ACTION, department=department, role_code="supervisor")) == allowed
        assert viewer.pk not in holder_ids(ACTION, department=department, role_code="clerk")
        assert viewer.pk not in holder_ids("no.such.action", department=department)
        reached += allowed
    assert 0 < reached <= len(city.depts)


def test_holder_ids_leave_out_revoked_grants_and_inactive_users(viewer, city):
    from django.utils import timezone

    from zhengtong.core.permissions.checks import holder_ids

    _grant(viewer, Scope.CITY)
    market = city.dept("market")
    assert viewer.pk in holder_ids(ACTION, department=market)
    viewer.is_active = False
    viewer.save(update_fields=["is_active"])
    assert viewer.pk not in holder_ids(ACTION, department=market)
    viewer.is_active = True
    viewer.save(update_fields=["is_active"])
    Grant.objects.filter(user=viewer).update(revoked_at=timezone.now())
    assert viewer.pk not in holder_ids(ACTION, department=market)


def test_a_department_path_is_matched_as_a_path_not_as_text(viewer, city):
    """A subtree grant on SF-SCJG does not reach a department whose code merely starts the
    same way (SF-SCJGX): paths end with '/', and % or _ in a code are not wildcards."""
    from zhengtong.core.org.models import Department
    from zhengtong.core.permissions.checks import holder_ids

    market = city.dept("market")
    lookalike = Department.objects.create(code="SF-SCJGX", name="相似编码部门", region=city.city)
    wild = Department.objects.create(code="SF_SCJG", name="下划线编码部门", region=city.city)
    _grant(viewer, Scope.SUBTREE, department=wild)
    assert viewer.pk in holder_ids(ACTION, department=wild)
    assert viewer.pk not in holder_ids(ACTION, department=market)
    Grant.objects.filter(user=viewer).delete()
    _grant(viewer, Scope.SUBTREE, department=market)
    assert viewer.pk in holder_ids(ACTION, department=city.dept("market_sub"))
    assert viewer.pk not in holder_ids(ACTION, department=lookalike)
