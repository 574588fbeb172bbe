"""Builders for test personas and a small test city. Used by conftest.py and benches."""

from __future__ import annotations

from dataclasses import dataclass, field

from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengtong.core.accounts.actions import (
    bootstrap_staff,
    check_register_citizen,
    check_register_enterprise,
)
from zhengtong.core.accounts.models import User
from zhengtong.core.org.models import Department, Region
from zhengtong.core.permissions.apps import sync_builtin_roles
from zhengtong.core.permissions.models import Grant, Role, Scope

PASSWORD = "Zt-Test-Passw0rd"
# A fixed TOTP key (hex) so tests can compute valid codes.
TOTP_KEY = "3132333435363738393031323334353637383930"


@dataclass
class City:
    city: Region
    county: Region
    township: Region
    depts: dict[str, Department] = field(default_factory=dict)

    def dept(self, key: str) -> Department:
        return self.depts[key]


def make_city() -> City:
    sync_builtin_roles()
    province = Region.objects.create(code="360000", name="江西省", level="province")
    city = Region.objects.create(code="361200", name="示范市", level="city", parent=province)
    county = Region.objects.create(code="361221", name="东湖县", level="county", parent=city)
    township = Region.objects.create(code="361221100", name="东湖镇", level="township", parent=county)
    c = City(city, county, township)
    specs = [("office", "SF-BGS", "市政府办公室", city, None), ("approval", "SF-XZSP", "市行政审批局", city, None),
             ("market", "SF-SCJG", "市市场监督管理局", city, None), ("supervision", "SF-JC", "市政务服务监察室", city, None),
             ("bigdata", "SF-DSJ", "市大数据中心", city, None), ("county_approval", "DH-XZSP", "东湖县行政审批局", county, None)]
    for key, code, name, region, parent in specs:
        c.depts[key] = Department.objects.create(code=code, name=name, region=region, parent=parent)
    c.depts["market_sub"] = Department.objects.create(code="SF-SCJG-1", name="市市场监督管理局登记注册科",
                                                      region=city, parent=c.depts["market"])
    return c


def staff(username: str, name: str, department: Department, *, roles: list[str] = (), scope: str = "department",
          totp: bool = True) -> User:
    user = bootstrap_staff(username=username, name=name, password=PASSWORD, department=department)
    for code in roles:
        role = Role.objects.get(code=code)
        use_scope = Scope.CITY if role.admin_group else scope
        Grant.objects.create(user=user, role=role, scope=use_scope,
                             department=department if use_scope in ("department", "subtree") else None,
                             region=department.region if use_scope == "region" else None)
    if totp:
        TOTPDevice.objects.create(user=user, name="test", key=TOTP_KEY, confirmed=True)
    return user


def citizen(id_number: str, name: str, mobile: str) -> User:
    return check_register_citizen(name=name, id_number=id_number, mobile=mobile, password=PASSWORD)


def enterprise(uscc: str, name: str, rep: str, rep_id: str) -> User:
    return check_register_enterprise(name=name, uscc=uscc, legal_rep_name=rep, legal_rep_id_number=rep_id,
                                     mobile="13900000002", password=PASSWORD)


def totp_now(user: User) -> str:
    """The currently valid code of the user's TOTP device."""
    from django_otp.oath import totp

    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def login_staff(client, user: User) -> None:
    """Log a staff member in through the real two-step form (password, then TOTP)."""
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    response = client.post("/accounts/login/otp/", {"token": totp_now(user)})
    assert response.status_code == 302, response.content.decode()[:500]
