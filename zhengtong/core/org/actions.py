"""Writes to regions and departments (audited)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from io import TextIOBase

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengtong.core.audit.log import record
from zhengtong.core.identifiers import IdentifierError, normalize_division_code
from zhengtong.core.org.models import Department, Region, RegionLevel
from zhengtong.core.permissions.checks import require


def level_for_code(code: str) -> str:
    if len(code) == 9:
        return RegionLevel.TOWNSHIP
    if code[2:] == "0000":
        return RegionLevel.PROVINCE
    if code[4:] == "00":
        return RegionLevel.CITY
    return RegionLevel.COUNTY


def parent_code_for(code: str) -> str | None:
    if len(code) == 9:
        return code[:6]
    if code[2:] == "0000":
        return None
    if code[4:] == "00":
        return code[:2] + "0000"
    # County under a city; directly-administered counties (e.g. 4290xx) hang on the province.
    return code[:4] + "00"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _parse_date(raw: str | None) -> date | None:
    raw = (raw or "").strip()
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise IdentifierError(_("日期“%(raw)s”格式应为 YYYY-MM-DD") % {"raw": raw}) from None


@transaction.atomic
def import_regions_csv(stream: TextIOBase, *, actor=None) -> ImportReport:
    """Load division codes from CSV with columns ``code,name[,valid_from,valid_to]``.

    Rows may come in any order; parents are resolved after all rows are read. Any row
    error aborts the whole import (nothing half-written) and is reported with its line.
    """
    report = ImportReport()
    rows: dict[str, dict] = {}
    for line_no, row in enumerate(csv.DictReader(stream), start=2):
        try:
            code = normalize_division_code(row.get("code", ""))
            name = (row.get("name") or "").strip()
            if not name:
                raise IdentifierError("名称不能为空")
            rows[code] = {"name": name, "valid_from": _parse_date(row.get("valid_from")), "valid_to": _parse_date(row.get("valid_to"))}
        except (IdentifierError, ValueError) as exc:
            report.errors.append(f"第 {line_no} 行：{exc}")
    if report.errors:
        transaction.set_rollback(True)
        return report
    for code in sorted(rows, key=lambda c: (len(c), c)):
        data = rows[code]
        parent_code = parent_code_for(code)
        parent = Region.objects.filter(code=parent_code).first() if parent_code else None
        if parent_code and parent is None and len(code) == 6 and code[4:] != "00":
            parent = Region.objects.filter(code=code[:2] + "0000").first()
        region, created = Region.objects.update_or_create(
            code=code, defaults={**data, "level": level_for_code(code), "parent": parent}
        )
        if created:
            report.created += 1
        else:
            report.updated += 1
    record("org.regions.imported", actor=actor, after={"created": report.created, "updated": report.updated})
    return report


@transaction.atomic
def do_create_department(*, region: Region, code: str, name: str, parent: Department | None = None,
                         short_name: str = "", doc_prefix: str = "", sort_order: int = 100, actor=None) -> Department:
    """Create a department inside a region (audited)."""
    dept = Department.objects.create(region=region, parent=parent, code=code, name=name,
                                     short_name=short_name, doc_prefix=doc_prefix, sort_order=sort_order)
    record("org.department.created", actor=actor, obj=dept,
           after={"code": code, "name": name, "region": region.code, "parent": parent.code if parent else None})
    return dept


REQUIRED_COLUMNS = ("code", "name")


def check_import_regions(stream: TextIOBase, *, actor) -> ImportReport:
    """Import division codes from an uploaded CSV (system admin, ``org.manage``)."""
    require(actor, "org.manage")
    header = stream.readline()
    columns = [c.strip() for c in next(csv.reader([header]), [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        return ImportReport(errors=[_("第 1 行：缺少列 %(columns)s（须含 code,name，可选 valid_from,valid_to）")
                                    % {"columns": "、".join(missing)}])
    stream.seek(0)
    return import_regions_csv(stream, actor=actor)


def _check_department_fields(*, region: Region, code: str, name: str, parent: Department | None) -> None:
    if not code or not name:
        raise ValidationError(_("请填写部门编码和部门名称"), code="required")
    if Department.objects.filter(code=code).exists():
        raise ValidationError(_("部门编码 %(code)s 已存在") % {"code": code}, code="duplicate")
    if Department.objects.filter(region=region, name=name).exists():
        raise ValidationError(_("%(region)s已有名为“%(name)s”的部门") % {"region": region.name, "name": name},
                              code="duplicate")
    if parent is not None and not parent.is_active:
        raise ValidationError(_("上级部门“%(name)s”已停用") % {"name": parent.name}, code="inactive")


@transaction.atomic
def check_create_department(*, actor, region: Region, code: str, name: str, parent: Department | None = None,
                            short_name: str = "", doc_prefix: str = "", sort_order: int = 100) -> Department:
    """Validate and create a department (system admin, ``org.manage``)."""
    require(actor, "org.manage")
    code, name = code.strip(), name.strip()
    _check_department_fields(region=region, code=code, name=name, parent=parent)
    return do_create_department(region=region, code=code, name=name, parent=parent, short_name=short_name.strip(),
                                doc_prefix=doc_prefix.strip(), sort_order=sort_order, actor=actor)
