"""Excel template, export and import of items (departments maintain their lists in Excel).

Sheet 事项: one row per item; sheet 材料: one row per material, keyed by item code. Import is
all-or-nothing: every row is checked first, errors read "事项 第N行：…" (N = Excel row), and
nothing is written unless the whole workbook is clean. Existing items get a new version, unless
their row says exactly what the current version says (then they are left alone), so exporting
and importing again changes nothing.

List cells (fees, special steps, FAQ) are written in the short text form people type
(``名称:天数:依据;…``); a list the text form cannot carry exactly (a name containing ``:``,
an answer over several lines) is written as JSON instead, and both forms are read back."""

from __future__ import annotations

import functools
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from zhengtong.core.audit.log import record
from zhengtong.core.org.models import Department, Region
from zhengtong.core.permissions.checks import has_perm
from zhengtong.services.catalog import actions
from zhengtong.services.catalog.models import (
    Audience,
    ItemKind,
    ItemVersion,
    LifeEvent,
    OnlineDepth,
    OriginalOrCopy,
    ServiceItem,
    TrustLevel,
    VersionStatus,
)
from zhengtong.services.catalog.registry import MANAGE

ITEM_SHEET, MATERIAL_SHEET = "事项", "材料"
ITEM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("事项编码", "code"), ("事项名称", "name"), ("事项类型", "kind"), ("服务对象", "audience"),
    ("实施部门编码", "department"), ("实施区划代码", "region"),
    ("法定办结时限", "statutory_days"), ("承诺办结时限", "promised_days"), ("受理时限", "acceptance_days"),
    ("设定依据", "legal_basis"), ("申请条件", "conditions"), ("办理流程", "process_description"),
    ("办理地点", "place"), ("办理时间", "hours"), ("网上办理深度", "online_depth"), ("到现场次数", "visits_needed"),
    ("咨询方式", "consultation"), ("监督投诉方式", "complaint"), ("收费（名称:金额:依据;…）", "fees"),
    ("特殊环节（名称:天数:依据;…）", "special_steps"), ("审批流程", "process_key"),
    ("申请表（JSON Schema）", "form_schema"), ("常见问题（每行 问题|解答）", "faq"), ("主题编码（以;分隔）", "life_events"),
)
MATERIAL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("事项编码", "code"), ("材料名称", "name"), ("材料形式", "form"), ("份数", "count"), ("必要", "required"),
    ("可信等级", "trust_level"), ("共享数据来源", "shared_source"), ("填报说明", "note"), ("排序", "sort_order"),
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 5000


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("；".join(errors[:5]))
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    versioned: int = 0
    unchanged: int = 0
    codes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- export

def _fees_text(fees: list[dict]) -> str:
    return ";".join(f"{f['name']}:{f['amount']}:{f.get('basis', '')}" for f in fees)


def _steps_text(steps: list[dict]) -> str:
    return ";".join(f"{s['name']}:{s['max_days']}" + (f":{s['basis']}" if s.get("basis") else "") for s in steps)


def _faq_text(faq: list[dict]) -> str:
    return "\n".join(f"{x['q']}|{x['a']}" for x in faq)


def _list_cell(values: list[dict], as_text, parse, check) -> str:
    """The text form when reading it back gives exactly ``values``, else JSON."""
    if not values:
        return ""
    text = as_text(values)
    try:
        ok = check(_parse_list(text, parse), {}) == values
    except ValueError:
        ok = False
    return text if ok else json.dumps(values, ensure_ascii=False)


def _events_text(item: ServiceItem) -> str:
    return ";".join(e.code for e in sorted(item.life_events.all(), key=lambda e: (e.sort_order, e.code)))


def _item_row(item: ServiceItem) -> list[Any]:
    v = item.current
    values = {
        "code": item.code, "department": item.department.code, "region": item.region.code,
        "kind": v.get_kind_display(), "audience": v.get_audience_display(),
        "fees": _list_cell(v.fees, _fees_text, _parse_fees, actions._check_fees),
        "special_steps": _list_cell(v.special_steps, _steps_text, _parse_steps, actions._check_steps),
        "faq": _list_cell(v.faq, _faq_text, _parse_faq, actions._check_faq),
        "form_schema": json.dumps(v.form_schema, ensure_ascii=False) if v.form_schema else "",
        "life_events": _events_text(item),
    }
    return [values[key] if key in values else getattr(v, key) for _h, key in ITEM_COLUMNS]


def _append(ws, row: list[Any]) -> None:
    """Append a row; text stays text (a name starting with "=" is not a formula)."""
    ws.append(row)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.data_type == "f":
            cell.data_type = "s"


def _sheet(wb: Workbook, title: str, columns, first: bool):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append([h for h, _k in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2DCDB")
    ws.freeze_panes = "A2"
    return ws


def export_workbook(items=None) -> bytes:
    """The template workbook, filled with the current versions of ``items`` (none: empty)."""
    wb = Workbook()
    ws_items = _sheet(wb, ITEM_SHEET, ITEM_COLUMNS, True)
    ws_mats = _sheet(wb, MATERIAL_SHEET, MATERIAL_COLUMNS, False)
    for item in (items if items is not None else []):
        if item.current_id is None:
            continue
        _append(ws_items, _item_row(item))
        for m in item.current.materials.all():
            _append(ws_mats, [item.code, m.name, m.get_form_display(), m.count, "是" if m.required else "否",
                              m.trust_level, m.shared_source, m.note, m.sort_order])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_response(items=None) -> HttpResponse:
    """The workbook as a download named 事项.xlsx (the console's and the API's export)."""
    response = HttpResponse(export_workbook(items), content_type=XLSX_TYPE)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E4%BA%8B%E9%A1%B9.xlsx"
    return response


# ---------------------------------------------------------------- parsing

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@functools.cache
def _choice_codes(choices: type[models.Choices]) -> dict[str, str]:
    """What a cell may say for each choice: its code, or its label (whole, or either side of
    "：") in any of the site's languages, as an export writes it in its reader's language and
    another reader may import it."""
    found = {str(code): str(code) for code in choices.values}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in choices.choices:
                label = str(label)
                for text in (label, label.split("：")[0], label.split("：")[-1]):
                    found.setdefault(text, str(code))
    return found


def _choice(value: str, choices: type[models.Choices]) -> str | None:
    return _choice_codes(choices).get(value) if value else None


_SPLIT = re.compile(r"[;；\n]")
_PART = re.compile(r"[:：]")


def _parse_fees(text: str) -> list[dict]:
    fees = []
    for chunk in filter(None, (c.strip() for c in _SPLIT.split(text))):
        parts = _PART.split(chunk, maxsplit=2)
        if len(parts) < 2:
            raise ValueError(_("收费“%(c)s”应写作“名称:金额:依据”") % {"c": chunk})
        fees.append({"name": parts[0].strip(), "amount": parts[1].strip(),
                     "basis": parts[2].strip() if len(parts) > 2 else ""})
    return fees


def _parse_steps(text: str) -> list[dict]:
    steps = []
    for chunk in filter(None, (c.strip() for c in _SPLIT.split(text))):
        parts = _PART.split(chunk, maxsplit=2)
        if len(parts) < 2:
            raise ValueError(_("特殊环节“%(c)s”应写作“名称:天数”") % {"c": chunk})
        steps.append({"name": parts[0].strip(), "max_days": parts[1].strip(),
                      "basis": parts[2].strip() if len(parts) > 2 else ""})
    return steps


def _parse_faq(text: str) -> list[dict]:
    rows = []
    for line in filter(None, (x.strip() for x in text.splitlines())):
        q, sep, a = line.partition("|")
        if not sep or not q.strip() or not a.strip():
            raise ValueError(_("常见问题每行应写作“问题|解答”"))
        rows.append({"q": q.strip(), "a": a.strip()})
    return rows


def _parse_list(text: str, parse) -> list:
    """A list cell: JSON when it starts with "[" and parses as a list, else the text form."""
    if text.lstrip().startswith("["):
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            value = None
        if isinstance(value, list):
            return value
    return parse(text)


_CODES = re.compile(r"[;；,，、\s]+")


def _codes(text: str) -> list[str]:
    return list(dict.fromkeys(c for c in _CODES.split(text) if c))


def _rows(ws, columns) -> list[tuple[int, dict[str, str]]]:
    header = [_text(c.value) for c in ws[1]]
    missing = [h for h, _k in columns if h not in header]
    if missing:
        raise ImportFailed([_("工作表“%(s)s”缺少列：%(c)s") % {"s": ws.title, "c": "、".join(missing)}])
    index = {key: header.index(h) for h, key in columns}
    out = []
    for number, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if number > MAX_ROWS:
            raise ImportFailed([_("工作表“%(s)s”超过 %(n)d 行") % {"s": ws.title, "n": MAX_ROWS}])
        values = {key: _text(row[i]) if i < len(row) else "" for key, i in index.items()}
        if any(values.values()):
            out.append((number, values))
    return out


def _item_content(row: dict[str, str], errors: list[str], where: str) -> dict:
    content: dict[str, Any] = {k: row[k] for k in (
        "name", "legal_basis", "conditions", "process_description", "place", "hours", "consultation", "complaint",
        "statutory_days", "promised_days", "acceptance_days", "visits_needed", "process_key")}
    content["kind"] = _choice(row["kind"], ItemKind) or row["kind"]
    content["audience"] = _choice(row["audience"], Audience) or Audience.BOTH
    content["online_depth"] = _choice(row["online_depth"], OnlineDepth) or row["online_depth"]
    for key, parse in (("fees", _parse_fees), ("special_steps", _parse_steps), ("faq", _parse_faq)):
        try:
            content[key] = _parse_list(row[key], parse)
        except ValueError as exc:
            errors.append(f"{where}{exc}")
    try:
        content["form_schema"] = json.loads(row["form_schema"]) if row["form_schema"] else {}
    except json.JSONDecodeError:
        errors.append(f"{where}" + _("申请表不是有效的 JSON"))
    return content


def _trust(value: str) -> str:
    letter = value[:1].upper()
    return letter if letter in TrustLevel.values else (value or TrustLevel.C)


def _material(row: dict[str, str]) -> dict:
    return {"name": row["name"], "form": _choice(row["form"], OriginalOrCopy) or row["form"] or "electronic",
            "count": row["count"] or 1, "required": row["required"] not in ("否", "N", "n", "no", "0", "false"),
            "trust_level": _trust(row["trust_level"]),
            "shared_source": row["shared_source"], "note": row["note"], "sort_order": row["sort_order"]}


@dataclass
class _Planned:
    number: int
    code: str
    department: Department
    region: Region
    content: dict
    materials: list[dict]
    item: ServiceItem | None
    life_events: list[str] = field(default_factory=list)
    same_as: ItemVersion | None = None  # the current or draft version the row repeats exactly


def _says(version: ItemVersion | None, item: ServiceItem, cleaned: dict, rows: list[dict], events: list[str]) -> bool:
    """Does ``version`` (with the item's life events) already say exactly what the row says?"""
    if version is None:
        return False
    return ({f: getattr(version, f) for f in actions.CONTENT_FIELDS} == cleaned
            and [{f: getattr(m, f) for f in actions.MATERIAL_FIELDS} for m in version.materials.all()] == rows
            and {e.code for e in item.life_events.all()} == set(events))


def _existing_items() -> dict[str, ServiceItem]:
    drafts = Prefetch("versions", queryset=ItemVersion.objects.filter(status=VersionStatus.DRAFT)
                      .prefetch_related("materials"), to_attr="drafts")
    return {i.code: i for i in ServiceItem.objects.select_related("department", "current")
            .prefetch_related(drafts, "current__materials", "life_events")}


def _plan(wb, actor) -> list[_Planned]:
    for name in (ITEM_SHEET, MATERIAL_SHEET):
        if name not in wb.sheetnames:
            raise ImportFailed([_("缺少工作表“%(s)s”") % {"s": name}])
    item_rows = _rows(wb[ITEM_SHEET], ITEM_COLUMNS)
    material_rows = _rows(wb[MATERIAL_SHEET], MATERIAL_COLUMNS)
    errors: list[str] = []
    if not item_rows:
        raise ImportFailed([_("工作表“事项”中没有数据")])
    depts = {d.code: d for d in Department.objects.select_related("region")}
    regions = {r.code: r for r in Region.objects.all()}
    current_regions = set(Region.objects.current().values_list("pk", flat=True))
    items = _existing_items()
    known_events = set(LifeEvent.objects.values_list("code", flat=True))
    codes = [r["code"] for _n, r in item_rows]
    by_code: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for number, row in material_rows:
        if row["code"] not in codes:
            errors.append(_("材料 第%(n)d行：事项编码“%(c)s”不在“事项”工作表中") % {"n": number, "c": row["code"]})
        by_code[row["code"]].append((number, _material(row)))
    planned = []
    for number, row in item_rows:
        where = _("事项 第%(n)d行：") % {"n": number}
        code = row["code"]
        if codes.count(code) > 1:
            errors.append(where + _("事项编码“%(c)s”重复") % {"c": code})
        if not actions.CODE_RE.match(code):
            errors.append(where + _("事项编码应为字母、数字、点、横线或下划线"))
        dept = depts.get(row["department"])
        region = regions.get(row["region"]) if row["region"] else (dept.region if dept else None)
        existing = items.get(code)
        if dept is None:
            errors.append(where + _("部门编码“%(c)s”不存在") % {"c": row["department"]})
        elif not has_perm(actor, MANAGE, department=dept) or (
                existing and not has_perm(actor, MANAGE, department=existing.department)):
            errors.append(where + _("您无权维护“%(d)s”的事项") % {"d": dept.name})
        if region is None:
            errors.append(where + _("区划代码“%(c)s”不存在") % {"c": row["region"]})
        # as the console: a new item, or an item moved, goes to an active department in a
        # division valid today; an existing item keeps what it has
        if dept is not None and not dept.is_active and (existing is None or existing.department_id != dept.pk):
            errors.append(where + _("部门“%(d)s”已停用") % {"d": dept.name})
        if region is not None and region.pk not in current_regions and (
                existing is None or existing.region_id != region.pk):
            errors.append(where + _("区划代码“%(c)s”已废止") % {"c": region.code})
        content = _item_content(row, errors, where)
        cleaned, content_errors = actions.clean_content(content)
        errors.extend(where + msg for msg in content_errors.values())
        events = _codes(row["life_events"])
        unknown = [c for c in events if c not in known_events]
        if unknown:
            errors.append(where + _("主题编码“%(c)s”不存在") % {"c": "、".join(unknown)})
        mats = by_code.get(code, [])
        rows_ok, mat_errors = actions.clean_materials([m for _n, m in mats])
        for key, msg in mat_errors.items():
            errors.append(_("材料 第%(n)d行：") % {"n": mats[int(key.split(".")[1])][0]} + msg)
        plan = _Planned(number, code, dept, region, content, [m for _n, m in mats], existing, events)
        if existing is not None and not content_errors and not mat_errors:
            draft = existing.drafts[0] if existing.drafts else None
            plan.same_as = next((v for v in (existing.current, draft) if _says(v, existing, cleaned, rows_ok, events)),
                                None)
        planned.append(plan)
    if errors:
        raise ImportFailed(errors)
    return planned


def _open(data: bytes):
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, OSError, ValueError, KeyError) as exc:
        raise ImportFailed([_("无法读取 Excel 文件，请使用 .xlsx 模板")]) from exc
    except Exception as exc:  # zipfile.BadZipFile and friends from corrupt uploads
        raise ImportFailed([_("无法读取 Excel 文件，请使用 .xlsx 模板")]) from exc


def import_workbook(data: bytes, *, actor, publish: bool = True) -> ImportResult:
    """Create or new-version every item in the workbook, or nothing (raises ImportFailed)."""
    wb = _open(data)
    try:
        planned = _plan(wb, actor)
    finally:
        wb.close()
    result = ImportResult()
    with transaction.atomic():
        for p in planned:
            try:
                version = _apply(p, actor, result, publish)
                if version is not None and publish:
                    actions.do_publish(version, actor=actor)
            except actions.CatalogError as exc:
                raise ImportFailed([_("事项 第%(n)d行：") % {"n": p.number} + exc.message]) from exc
            if version is not None:
                result.codes.append(p.code)
        record("catalog.import", actor=actor, after={"created": result.created, "versioned": result.versioned,
                                                      "unchanged": result.unchanged, "codes": result.codes,
                                                      "published": publish})
    return result


def _apply(p: _Planned, actor, result: ImportResult, publish: bool) -> ItemVersion | None:
    """The draft to (maybe) publish for one row, or None when the row changes nothing."""
    if p.item is None:
        item = actions.do_create_item(actor=actor, code=p.code, department=p.department, region=p.region,
                                      content=p.content, materials=p.materials, life_events=p.life_events)
        result.created += 1
        return item.versions.get(status=VersionStatus.DRAFT)
    if p.same_as is not None and (p.same_as.status == VersionStatus.PUBLISHED or not publish):
        result.unchanged += 1
        return None
    result.versioned += 1
    if p.same_as is not None:  # the open draft already says it; publish it as it is
        return p.same_as
    base = p.item.current or p.item.versions.order_by("-version").first()
    return actions.do_edit(base, actor=actor, content=p.content, materials=p.materials, life_events=p.life_events)
