"""Identifiers: resident ID numbers (GB 11643), unified social credit codes (GB 32100),
division codes (GB/T 2260) and mobile numbers — thin helpers over python-stdnum,
display masking, and form/model fields with Chinese error messages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)


class IdentifierError(ValueError):
    """A human-readable reason (Chinese first, translated by gettext) why a number is invalid."""


_RIC_MESSAGES = {
    InvalidLength: _("公民身份号码应为 18 位"),
    InvalidFormat: _("公民身份号码格式不正确：前 17 位应为数字，末位为数字或 X"),
    InvalidChecksum: _("公民身份号码校验码错误"),
    InvalidComponent: _("公民身份号码中的出生日期或地址码无效"),
}
_USCC_MESSAGES = {
    InvalidLength: _("统一社会信用代码应为 18 位"),
    InvalidFormat: _("统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）"),
    InvalidChecksum: _("统一社会信用代码校验码错误"),
    InvalidComponent: _("统一社会信用代码的组成部分无效"),
}


def _reason(messages: dict, exc: ValidationError, fallback) -> str:
    for cls, message in messages.items():
        if isinstance(exc, cls):
            return str(message)
    return str(fallback)


def normalize_id_number(value: str) -> str:
    """Return the compact upper-case resident ID number or raise IdentifierError."""
    try:
        return ric.validate((value or "").strip().upper())
    except ValidationError as exc:
        raise IdentifierError(_reason(_RIC_MESSAGES, exc, _("公民身份号码无效"))) from exc
    except KeyError as exc:  # python-stdnum 2.2 raises KeyError for an address code it does not know
        raise IdentifierError(str(_RIC_MESSAGES[InvalidComponent])) from exc


def normalize_uscc(value: str) -> str:
    """Return the compact upper-case unified social credit code or raise IdentifierError."""
    try:
        return uscc.validate((value or "").strip().upper())
    except ValidationError as exc:
        raise IdentifierError(_reason(_USCC_MESSAGES, exc, _("统一社会信用代码无效"))) from exc


@dataclass(frozen=True)
class PersonFacts:
    birth_date: date
    gender: str  # "M" or "F"
    birth_place: str


def person_facts(id_number: str) -> PersonFacts:
    """Birth date, gender (odd sequence = male) and birth place derived from an ID number."""
    number = normalize_id_number(id_number)
    place = ric.get_birth_place(number)
    return PersonFacts(
        birth_date=ric.get_birth_date(number),
        gender="M" if int(number[16]) % 2 == 1 else "F",
        birth_place=f"{place.get('province', '')}{place.get('county', '')}",
    )


def uscc_division(code: str) -> str:
    """The six-digit GB/T 2260 division code embedded in a credit code (positions 3–8)."""
    return normalize_uscc(code)[2:8]


_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalize_mobile(value: str) -> str:
    """Mainland mobile number: 11 digits starting with 13–19; a +86 prefix is accepted."""
    digits = re.sub(r"[\s-]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not _MOBILE.match(digits):
        raise IdentifierError(str(_("手机号码应为以 1 开头的 11 位数字")))
    return digits


_DIVISION = re.compile(r"^\d{6}(\d{3})?$")


def normalize_division_code(value: str) -> str:
    """A GB/T 2260 code (6 digits) or a township code (GB/T 10114, 9 digits)."""
    code = (value or "").strip()
    if not _DIVISION.match(code) or code[:2] == "00":
        raise IdentifierError(str(_("行政区划代码应为 6 位（县级及以上）或 9 位（乡镇级）数字")))
    return code


def mask(value: str, *, keep_start: int, keep_end: int, char: str = "*") -> str:
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return char * len(value)
    return value[:keep_start] + char * (len(value) - keep_start - keep_end) + value[len(value) - keep_end :]


def mask_id_number(value: str) -> str:
    """``11010519491231002X`` → ``110105********002X`` (address code and last four shown)."""
    return mask(value, keep_start=6, keep_end=4)


def mask_mobile(value: str) -> str:
    """``13812345678`` → ``138****5678``."""
    return mask(value, keep_start=3, keep_end=4)


def mask_uscc(value: str) -> str:
    """Credit codes are public in the enterprise credit system; only the middle is masked
    in lists to discourage harvesting: ``91110000********1L``."""
    return mask(value, keep_start=8, keep_end=2)


def mask_name(value: str) -> str:
    """``张三丰`` → ``张**``; ``张三`` → ``张*``."""
    return mask(value, keep_start=1, keep_end=0)
