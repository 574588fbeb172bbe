"""Case numbers (一个编码): ``{region 6}{YYYYMMDD}{daily sequence 6}{check}``, 21 characters.

The check character is ISO 7064 MOD 11-2 over the 20 digits (as in the resident ID number),
so a typo or a forged number is refused before any database lookup."""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext as _
from stdnum.iso7064 import mod_11_2

from zhengtong.core.db.counters import increment
from zhengtong.services.applications.models import NumberSequence

NUMBER_LENGTH = 21
_SHAPE = re.compile(r"^\d{20}[\dX]$")


class InvalidNumber(ValueError):
    """Not a case number this platform could have issued; the message is for the user."""


def _region6(region_code: str) -> str:
    digits = re.sub(r"\D", "", region_code or "")[:6]
    return digits.ljust(6, "0")


def format_number(region_code: str, on: date, sequence: int) -> str:
    if not 0 < sequence < 1_000_000:
        raise ValueError("daily sequence out of range")
    body = f"{_region6(region_code)}{on:%Y%m%d}{sequence:06d}"
    return body + mod_11_2.calc_check_digit(body)


def next_number(region_code: str, on: date) -> str:
    """The next number of the region's day; the counter row stays locked to the caller's commit."""
    return format_number(region_code, on, increment(NumberSequence, f"{_region6(region_code)}-{on:%Y%m%d}"))


def parse_number(text: str) -> str:
    """The canonical number, or InvalidNumber with a Chinese reason (no database access)."""
    number = (text or "").strip().upper()
    if len(number) != NUMBER_LENGTH:
        raise InvalidNumber(_("办件编号应为 %(n)s 位") % {"n": NUMBER_LENGTH})
    if not _SHAPE.match(number):
        raise InvalidNumber(_("办件编号格式不正确：前 20 位应为数字，末位为数字或 X"))
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidNumber(_("办件编号中的日期无效")) from None
    if not mod_11_2.is_valid(number):
        raise InvalidNumber(_("办件编号校验位错误，请核对后重新输入"))
    return number
