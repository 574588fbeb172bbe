"""Kinds of time-limited case. Apps register theirs in ``AppConfig.ready()``::

    register_case_type("gov_info.reply", _("依申请公开答复"), default_limit_days=20, yellow_days=5)

Labels and descriptions are given Chinese, marked with ``gettext_lazy``: the registry is filled
at import time, before a request picks a language, and they are only shown (the filters of the
time-limit monitors), never stored, so each reader sees them in their own language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise


@dataclass(frozen=True)
class CaseTypeSpec:
    code: str
    label: str | Promise
    yellow_days: int | None = None  # None: settings.ZT_YELLOW_DAYS
    default_limit_days: int | None = None
    default_unit: str = "working"
    description: str | Promise = ""

    @property
    def effective_yellow_days(self) -> int:
        return settings.ZT_YELLOW_DAYS if self.yellow_days is None else self.yellow_days


CASE_TYPES: dict[str, CaseTypeSpec] = {}


def register_case_type(code: str, label: str | Promise, *, yellow_days: int | None = None,
                       default_limit_days: int | None = None, default_unit: str = "working",
                       description: str | Promise = "") -> CaseTypeSpec:
    if yellow_days is not None and yellow_days < 0:
        raise ValueError("yellow_days must be >= 0")
    if default_unit not in ("working", "natural"):
        raise ValueError("default_unit must be 'working' or 'natural'")
    spec = CaseTypeSpec(code, label, yellow_days, default_limit_days, default_unit, description)
    CASE_TYPES[code] = spec
    return spec


def get_case_type(code: str) -> CaseTypeSpec:
    try:
        return CASE_TYPES[code]
    except KeyError:
        raise KeyError(f"unregistered case type {code!r}") from None


def yellow_days_for(code: str) -> int:
    return get_case_type(code).effective_yellow_days
