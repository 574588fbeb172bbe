"""Registration of citizens and enterprises, creation of staff, TOTP devices."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from zhengtong.core.accounts.models import (
    ApiToken,
    CitizenProfile,
    EnterpriseProfile,
    User,
    UserKind,
)
from zhengtong.core.audit.log import record, record_read
from zhengtong.core.identifiers import (
    mask_id_number,
    normalize_id_number,
    normalize_mobile,
    normalize_uscc,
    person_facts,
)
from zhengtong.core.permissions.checks import require
from zhengtong.lib.gm import sm3_hex


class DuplicateRegistration(ValueError):
    """The identifier is already registered."""


class WeakPassword(ValidationError):
    """The password breaks the password policy (the messages say which rule)."""


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise WeakPassword(exc.messages) from exc


def _duplicate_citizen_message(id_number: str, mobile: str) -> str | None:
    if User.objects.filter(Q(username=id_number) | Q(citizen__id_number=id_number)).exists():
        return _("该公民身份号码已注册，请直接登录或找回密码")
    if User.objects.filter(kind=UserKind.CITIZEN, mobile=mobile).exists():
        return _("该手机号码已被其他个人账户使用")
    return None


@transaction.atomic
def check_register_citizen(*, name: str, id_number: str, mobile: str, password: str,
                           email: str = "") -> User:
    """Register a citizen by real name + resident ID number + mobile (validated, not duplicated)."""
    id_number = normalize_id_number(id_number)
    mobile = normalize_mobile(mobile)
    name = name.strip()
    if not name:
        raise ValidationError(_("请填写姓名"), code="required")
    duplicate = _duplicate_citizen_message(id_number, mobile)
    if duplicate:
        raise DuplicateRegistration(duplicate)
    facts = person_facts(id_number)
    user = User(username=id_number, kind=UserKind.CITIZEN, display_name=name, mobile=mobile, email=email)
    _check_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            profile = CitizenProfile.objects.create(user=user, id_number=id_number, birth_date=facts.birth_date,
                                                    gender=facts.gender, birth_place=facts.birth_place)
    except IntegrityError as exc:  # a concurrent registration of the same number won
        raise DuplicateRegistration(_duplicate_citizen_message(id_number, mobile)
                                    or _("该公民身份号码已注册，请直接登录或找回密码")) from exc
    record("accounts.citizen.registered", actor=user, obj=user, role="citizen",
           after={"id_number": mask_id_number(id_number), "birth_date": profile.birth_date.isoformat(),
                  "gender": profile.gender})
    return user


@transaction.atomic
def check_register_enterprise(*, name: str, uscc: str, legal_rep_name: str, legal_rep_id_number: str,
                              mobile: str, password: str, email: str = "", address: str = "") -> User:
    """Register an enterprise by unified social credit code + legal representative."""
    uscc = normalize_uscc(uscc)
    legal_rep_id_number = normalize_id_number(legal_rep_id_number)
    mobile = normalize_mobile(mobile)
    name, legal_rep_name = name.strip(), legal_rep_name.strip()
    if not name or not legal_rep_name:
        raise ValidationError(_("请填写单位名称和法定代表人姓名"), code="required")
    if User.objects.filter(Q(username=uscc) | Q(enterprise__uscc=uscc)).exists():
        raise DuplicateRegistration(_("该统一社会信用代码已注册"))
    user = User(username=uscc, kind=UserKind.ENTERPRISE, display_name=name, mobile=mobile, email=email)
    _check_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            EnterpriseProfile.objects.create(user=user, uscc=uscc, name=name, legal_rep_name=legal_rep_name,
                                             legal_rep_id_number=legal_rep_id_number, address=address.strip())
    except IntegrityError as exc:
        raise DuplicateRegistration(_("该统一社会信用代码已注册")) from exc
    record("accounts.enterprise.registered", actor=user, obj=user, role="enterprise",
           after={"uscc": uscc, "name": name, "legal_rep_name": legal_rep_name})
    return user


@transaction.atomic
def check_create_staff(*, actor, username: str, name: str, password: str, department=None,
                       mobile: str = "", email: str = "", title: str = "") -> User:
    """Create a staff account (system admin only; it gets no roles — the security admin grants them)."""
    require(actor, "accounts.user.create")
    return _create_staff(actor=actor, username=username, name=name, password=password, department=department,
                         mobile=mobile, email=email, title=title)


def _create_staff(*, actor, username: str, name: str, password: str, department=None, mobile: str = "",
                  email: str = "", title: str = "") -> User:
    username = username.strip()
    if not username:
        raise ValidationError(_("请填写用户名"), code="required")
    if User.objects.filter(username=username).exists():
        raise DuplicateRegistration(_("用户名 %(username)s 已存在") % {"username": username})
    user = User(username=username, kind=UserKind.STAFF, display_name=name.strip(),
                mobile=normalize_mobile(mobile) if mobile else "", email=email, department=department, title=title)
    _check_password(password, user)
    user.set_password(password)
    user.save()
    record("accounts.staff.created", actor=actor, obj=user,
           after={"username": username, "name": user.display_name,
                  "department": department.code if department else None})
    return user


@transaction.atomic
def bootstrap_staff(*, username: str, name: str, password: str, department=None, **extra) -> User:
    """Create staff from the command line or the demo loader, where no admin exists yet."""
    return _create_staff(actor=None, username=username, name=name, password=password,
                         department=department, **extra)


@transaction.atomic
def do_set_user_active(*, actor, user: User, active: bool) -> None:
    """Deactivate or reactivate an account (system admin)."""
    require(actor, "accounts.user.lock")
    before = user.is_active
    User.objects.filter(pk=user.pk).update(is_active=active)
    user.is_active = active
    record("accounts.user.activated" if active else "accounts.user.deactivated", actor=actor, obj=user,
           before={"is_active": before}, after={"is_active": active})


@transaction.atomic
def do_create_totp_device(*, user: User, actor: User | None = None, key: str | None = None) -> TOTPDevice:
    """Give a staff member a (new) confirmed TOTP device, replacing old ones."""
    TOTPDevice.objects.filter(user=user).delete()
    kwargs = {"key": key} if key else {}
    device = TOTPDevice.objects.create(user=user, name="默认令牌", confirmed=True, **kwargs)
    record("accounts.totp.enrolled", actor=actor or user, obj=user, after={"device": device.name})
    return device


def new_totp_key() -> str:
    """A fresh 160-bit TOTP secret (hex, as django-otp stores it)."""
    return random_hex(20)


def totp_code_matches(key: str, token: str) -> bool:
    """Does ``token`` match the secret ``key`` now (one step of clock drift allowed)?"""
    return bool(token.isdigit()) and TOTP(bytes.fromhex(key)).verify(int(token), tolerance=1)


def check_enroll_totp(*, user: User, key: str, token: str, current_token: str = "") -> TOTPDevice:
    """Enroll ``key`` as the user's TOTP device; replacing a device needs a code from the current one."""
    # Not atomic: a wrong current code must leave django-otp's throttling counter incremented.
    current = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if current is not None and not current.verify_token(current_token):
        raise ValidationError(_("当前动态口令错误或已过期"), code="bad_current_token")
    if not totp_code_matches(key, token):
        raise ValidationError(_("新令牌的动态口令不正确，请确认已扫描新的二维码"), code="bad_new_token")
    return do_create_totp_device(user=user, key=key)


def record_login(user: User, *, second_factor: bool) -> None:
    record("accounts.login.succeeded", actor=user, obj=user, after={"second_factor": second_factor})


def record_logout(user: User) -> None:
    record("accounts.logout", actor=user, obj=user)


@transaction.atomic
def do_reveal_person(*, actor: User, profile: CitizenProfile, reason: str = "") -> CitizenProfile:
    """Show a citizen's full ID number and mobile to staff allowed to see them; the read is audited."""
    require(actor, "accounts.person.read")
    record_read("accounts.person.revealed", actor=actor, obj=profile.user, fields=("id_number", "mobile"),
                reason=reason)
    return profile


@transaction.atomic
def do_issue_api_token(*, actor: User | None, user: User, name: str) -> tuple[str, ApiToken]:
    """Issue a token for a system acting as ``user``; the clear token is returned once."""
    clear = "zt_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(name=name, user=user, prefix=clear[3:11], digest=sm3_hex(clear.encode()))
    record("accounts.api_token.issued", actor=actor, obj=token, after={"name": name, "user": user.username})
    return clear, token


@transaction.atomic
def do_revoke_api_token(*, actor: User | None, token: ApiToken) -> None:
    """Revoke a token; requests bearing it are refused from now on."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if updated:
        record("accounts.api_token.revoked", actor=actor, obj=token, before={"name": token.name})
