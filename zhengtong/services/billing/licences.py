"""What goes on a licence: its numbers, the key fields taken from the application form,
and the verification link printed as a QR code.

The QR code cannot carry the seal's verify code, which exists only once the PDF is signed
(and the signature covers the QR). It carries ``/pay/licences/<number>/verify/`` instead:
the licence number is fixed before rendering, and that URL redirects to the seal
verification page ``/verify/<code>/`` of the licence's signed document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from zhengtong.core.identifiers import mask_id_number
from zhengtong.services.applications.models import Application
from zhengtong.services.billing.pdf import LicenceSheet

MAX_FIELDS = 10
MAX_VALUE = 120
_ID_NUMBER = re.compile(r"\b\d{17}[\dXx]\b")


def licence_numbers(application: Application, issued_at: datetime,
                    next_value: Callable[[str], int]) -> tuple[str, str]:
    """("SF-SCJG-2026-000123", "示市监许〔2026〕000123号"): per department and year."""
    department = application.department
    year = timezone.localtime(issued_at).year
    seq = next_value(f"L-{department.code}-{year}")
    prefix = department.doc_prefix or department.short_name or department.name
    word = "许" if application.item_version.kind == "licensing" else "证"
    return f"{department.code}-{year}-{seq:06d}", f"{prefix}{word}〔{year}〕{seq:06d}号"


def licence_verify_url(number: str) -> str:
    return settings.ZT_PUBLIC_URL.rstrip("/") + reverse("billing:licence_verify", args=[number])


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float, str)) and str(value).strip():
        text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0).upper()), str(value).strip())
        return text[:MAX_VALUE]
    if isinstance(value, list) and value and all(isinstance(v, (str, int, float)) for v in value):
        return "、".join(str(v) for v in value)[:MAX_VALUE]
    return None


def key_fields(form_data: dict[str, Any], schema: dict[str, Any]) -> list[tuple[str, str]]:
    """The form's simple answers labelled by the schema's titles, in the schema's order.

    Nested objects and uploads are left out; anything that looks like an ID number is masked.
    """
    properties = (schema or {}).get("properties") or {}
    order = [k for k in properties if k in form_data] + [k for k in form_data if k not in properties]
    fields = []
    for key in order:
        spec = properties.get(key) or {}
        if spec.get("format") in ("data-url", "binary") or spec.get("x-licence") is False:
            continue
        text = _scalar(form_data[key])
        if text is not None:
            fields.append((str(spec.get("title") or key)[:20], text))
        if len(fields) >= MAX_FIELDS:
            break
    return fields


def chinese_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def build_sheet(application: Application, *, number: str, word_number: str, issued_at: datetime,
                valid_until: date | None) -> LicenceSheet:
    holder_id = application.masked_id_number
    return LicenceSheet(
        title=application.item_version.name, word_number=word_number, number=number,
        holder_name=application.applicant_name, holder_id=holder_id,
        fields=key_fields(application.form_data or {}, application.item_version.form_schema or {}),
        department=application.department.name, issued_on=chinese_date(timezone.localtime(issued_at).date()),
        valid_until=chinese_date(valid_until) if valid_until else "长期", verify_url=licence_verify_url(number))
