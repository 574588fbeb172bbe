"""How to log in to the demo city: the accounts block printed by ``demo`` and ``run``,
and the current TOTP code of a staff member (for ``zhengtong totp``)."""

from __future__ import annotations

import textwrap
import unicodedata
from base64 import b32encode

from django.conf import settings
from django.db.models import Prefetch
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengtong.core.accounts.models import User, UserKind
from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.permissions.models import Grant
from zhengtong.demo import people, specs


def current_code(device: TOTPDevice) -> str:
    """The code the device's authenticator app shows right now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]


def _staff() -> list[User]:
    grants = Prefetch("grants", queryset=Grant.objects.active().select_related("role"), to_attr="active_grants")
    devices = Prefetch("totpdevice_set", queryset=TOTPDevice.objects.filter(confirmed=True), to_attr="devices")
    return list(User.objects.filter(kind=UserKind.STAFF).select_related("department")
                .prefetch_related(grants, devices).order_by("id"))


def _role_label(user: User) -> str:
    return "、".join(f"{g.role.name} {g.role.code}" for g in user.active_grants) or "—"


def _staff_row(user: User) -> list[str]:
    secret = b32encode(user.devices[0].bin_key).decode().rstrip("=") if user.devices else "（未绑定）"
    return [user.username, user.display_name, _role_label(user),
            user.department.name if user.department else "", secret]


def describe(*, full: bool = False) -> str:
    if settings.PRODUCTION:
        return ""  # real accounts have their own passwords; never advertise demo ones
    staff = _staff()
    if not staff or not AuditEntry.objects.filter(action="demo.loaded").exists():
        return "尚未加载示范数据：运行 `zhengtong demo`。 / No demo data yet: run `zhengtong demo`."
    well_known = [spec.username for spec in specs.WELL_KNOWN_STAFF]
    listed = staff if full else sorted((u for u in staff if u.username in well_known),
                                       key=lambda u: well_known.index(u.username))
    lines = [f"示范账号 / Demo accounts — 统一密码 / password for all: {specs.DEMO_PASSWORD}", "",
             "工作人员 Staff（密码 + TOTP 动态码 / password + TOTP code）"]
    lines += _table([["用户名", "姓名", "角色 role", "部门 department", "TOTP 密钥 secret (Base32)"]]
                    + [_staff_row(u) for u in listed])
    lines.append("  当前动态码 / current code:  zhengtong totp <用户名 username>")
    if not full:
        lines += _others(staff, set(well_known))
    lines += ["", "公众 Public（密码同上 / same password）"] + _public()
    return "\n".join(lines)


def _others(staff: list[User], shown: set[str]) -> list[str]:
    others = [u for u in staff if u.username not in shown]
    if not others:
        return []
    lines = [f"  其他工作人员 other staff ({len(others)})，密钥见 `zhengtong demo --accounts`:"]
    groups: dict[str, list[str]] = {}
    for user in others:
        groups.setdefault(_role_label(user), []).append(user.username)
    for label, names in groups.items():
        lines += textwrap.wrap(f"{label}: {' '.join(names)}", width=96,
                               initial_indent="    ", subsequent_indent="      ")
    return lines


def _public() -> list[str]:
    citizen = people.well_known_citizen()
    company = people.companies(1, [citizen])[0]
    citizens = User.objects.filter(kind=UserKind.CITIZEN).count()
    enterprises = User.objects.filter(kind=UserKind.ENTERPRISE).count()
    return [
        f"  市民 citizen     {citizen.mobile}（或身份证号 or ID {citizen.id_number}）{citizen.name}",
        f"  企业 enterprise  {company.uscc}  {company.name}（法定代表人 {citizen.name}）",
        f"  另有 {max(0, citizens - 1)} 位市民（身份证号或手机号登录）、{max(0, enterprises - 1)} 家企业"
        f"（统一社会信用代码登录）。 / More citizens log in by ID number or mobile, enterprises by credit code.",
    ]
