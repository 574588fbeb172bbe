"""Catalog writes: create an item with its first draft, edit a draft, start a new version from
a published one (published versions are immutable), publish; maintain the city-wide life
events (主题) and the bundles (一件事一次办). Every write is validated, permission-checked
(items against their department, bundles against their lead department, life events against
a city-wide grant) and audited."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.core.audit.log import record
from zhengtong.core.org.models import Department, Region
from zhengtong.core.permissions.checks import require, scope_q
from zhengtong.services.catalog import jsonform
from zhengtong.services.catalog.models import (
    Audience,
    Bundle,
    ItemKind,
    ItemVersion,
    LifeEvent,
    Material,
    OnlineDepth,
    OriginalOrCopy,
    ServiceItem,
    TrustLevel,
    VersionStatus,
)
from zhengtong.services.catalog.registry import BUNDLE, MANAGE, TOPIC, process_keys


class CatalogError(Exception):
    """A refused catalog write. ``errors`` maps field names (``materials.2.name`` for a
    material) to Chinese messages."""

    def __init__(self, message: str, errors: Mapping[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = dict(errors or {})


class CatalogConflict(CatalogError):
    """Refused because of the object's state (in use, not publishable): HTTP 409, not 400."""


TEXT_FIELDS = ("name", "legal_basis", "conditions", "process_description", "place", "hours",
               "consultation", "complaint")
INT_FIELDS = ("statutory_days", "promised_days", "acceptance_days", "online_depth", "visits_needed")
CONTENT_FIELDS = (*TEXT_FIELDS, "kind", "audience", *INT_FIELDS, "special_steps", "fees", "faq",
                  "form_schema", "process_key")
MATERIAL_FIELDS = ("name", "form", "count", "required", "trust_level", "shared_source", "note", "sort_order")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_OPTIONAL_TEXT = {"hours"}


def _label(field: str) -> str:
    return str(ItemVersion._meta.get_field(field).verbose_name)


# ---------------------------------------------------------------- validation

def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return int(number) if number == number.to_integral_value() else None


def _check_ints(data: dict, errors: dict) -> None:
    minimum = {"statutory_days": 1, "promised_days": 1, "acceptance_days": 0, "visits_needed": 0}
    for field in INT_FIELDS:
        number = _int(data.get(field))
        if data.get(field) in (None, ""):
            errors[field] = _("请填写“%(f)s”") % {"f": _label(field)}
        elif number is None:
            errors[field] = _("“%(f)s”应为整数") % {"f": _label(field)}
        elif field == "online_depth" and number not in OnlineDepth.values:
            errors[field] = _("网上办理深度应为 1–4 级")
        elif number < minimum.get(field, 1) or number > 3650:
            errors[field] = _("“%(f)s”超出允许范围") % {"f": _label(field)}
        else:
            data[field] = number
    if not errors.keys() & {"statutory_days", "promised_days"} and data["promised_days"] > data["statutory_days"]:
        errors["promised_days"] = _("承诺办结时限不能超过法定办结时限")


def _check_fees(fees: Any, errors: dict) -> list[dict]:
    if not isinstance(fees, list):
        errors["fees"] = _("收费标准格式不正确")
        return []
    out = []
    for i, fee in enumerate(fees, 1):
        name = str((fee or {}).get("name", "")).strip() if isinstance(fee, Mapping) else ""
        try:
            amount = Decimal(str(fee.get("amount", "")).strip()) if name else None
        except (InvalidOperation, ValueError):
            amount = None
        if not name or amount is None or amount < 0 or not amount.is_finite():
            errors["fees"] = _("第 %(n)d 项收费应有名称和不小于 0 的金额") % {"n": i}
            continue
        out.append({"name": name, "amount": f"{amount.quantize(Decimal('0.01'))}",
                    "basis": str(fee.get("basis", "")).strip()})
    return out


def _check_steps(steps: Any, errors: dict) -> list[dict]:
    if not isinstance(steps, list):
        errors["special_steps"] = _("特殊环节格式不正确")
        return []
    out = []
    for i, step in enumerate(steps, 1):
        name = str(step.get("name", "")).strip() if isinstance(step, Mapping) else ""
        days = _int(step.get("max_days")) if name else None
        if not name or days is None or days < 1:
            errors["special_steps"] = _("第 %(n)d 个特殊环节应有名称和正整数天数") % {"n": i}
            continue
        out.append({"name": name, "max_days": days, "basis": str(step.get("basis", "")).strip()})
    return out


def _check_faq(faq: Any, errors: dict) -> list[dict]:
    if not isinstance(faq, list) or not all(
            isinstance(x, Mapping) and str(x.get("q", "")).strip() and str(x.get("a", "")).strip() for x in faq):
        errors["faq"] = _("常见问题应为问题和解答成对填写")
        return []
    return [{"q": str(x["q"]).strip(), "a": str(x["a"]).strip()} for x in faq]


def clean_content(data: Mapping[str, Any]) -> tuple[dict, dict[str, str]]:
    """Normalised version content and field errors (empty when valid)."""
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in TEXT_FIELDS:
        value = str(data.get(field) or "").strip()
        limit = getattr(ItemVersion._meta.get_field(field), "max_length", None)
        if not value and field not in _OPTIONAL_TEXT:
            errors[field] = _("请填写“%(f)s”") % {"f": _label(field)}
        elif limit and len(value) > limit:
            errors[field] = _("“%(f)s”不能超过 %(n)d 个字") % {"f": _label(field), "n": limit}
        out[field] = value or str(ItemVersion._meta.get_field(field).default or "")
    out["kind"] = str(data.get("kind") or "")
    if out["kind"] not in ItemKind.values:
        errors["kind"] = _("事项类型不正确")
    out["audience"] = str(data.get("audience") or Audience.BOTH)
    if out["audience"] not in Audience.values:
        errors["audience"] = _("服务对象不正确")
    for field in INT_FIELDS:
        out[field] = data.get(field, ItemVersion._meta.get_field(field).default
                              if ItemVersion._meta.get_field(field).has_default() else None)
    _check_ints(out, errors)
    out["fees"] = _check_fees(data.get("fees") or [], errors)
    out["special_steps"] = _check_steps(data.get("special_steps") or [], errors)
    out["faq"] = _check_faq(data.get("faq") or [], errors)
    schema = data.get("form_schema") or {}
    problems = jsonform.check_schema(schema)
    if problems:
        errors["form_schema"] = problems[0]
    out["form_schema"] = schema
    out["process_key"] = str(data.get("process_key") or "").strip()
    if not out["process_key"] or out["process_key"] not in process_keys():
        errors["process_key"] = _("审批流程“%(k)s”未登记") % {"k": out["process_key"]}
    return out, errors


def clean_materials(materials: Iterable[Mapping[str, Any]]) -> tuple[list[dict], dict[str, str]]:
    out: list[dict] = []
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for i, raw in enumerate(materials):
        where = f"materials.{i}"
        name = str(raw.get("name") or "").strip()
        row = {"name": name, "form": str(raw.get("form") or OriginalOrCopy.ELECTRONIC),
               "count": _int(raw.get("count", 1)), "required": bool(raw.get("required", True)),
               "trust_level": str(raw.get("trust_level") or TrustLevel.C),
               "shared_source": str(raw.get("shared_source") or "").strip(),
               "note": str(raw.get("note") or "").strip(), "sort_order": _int(raw.get("sort_order", (i + 1) * 10))}
        if not name:
            errors[f"{where}.name"] = _("第 %(n)d 项材料：请填写材料名称") % {"n": i + 1}
        elif len(name) > 200:
            errors[f"{where}.name"] = _("第 %(n)d 项材料：名称过长") % {"n": i + 1}
        elif name in seen:
            errors[f"{where}.name"] = _("材料“%(m)s”重复") % {"m": name}
        seen.add(name)
        if row["form"] not in OriginalOrCopy.values:
            errors[f"{where}.form"] = _("第 %(n)d 项材料：材料形式不正确") % {"n": i + 1}
        if row["count"] is None or not 1 <= row["count"] <= 99:
            errors[f"{where}.count"] = _("第 %(n)d 项材料：份数应为 1–99 的整数") % {"n": i + 1}
        if row["trust_level"] not in TrustLevel.values:
            errors[f"{where}.trust_level"] = _("第 %(n)d 项材料：可信等级应为 A、B、C、D") % {"n": i + 1}
        if len(row["shared_source"]) > 100 or len(row["note"]) > 300:
            errors[f"{where}.note"] = _("第 %(n)d 项材料：共享来源或说明过长") % {"n": i + 1}
        if row["sort_order"] is None or row["sort_order"] < 0:
            row["sort_order"] = (i + 1) * 10
        out.append(row)
    return out, errors


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        first = next(iter(errors.values()))
        raise CatalogError(_("事项信息有误：%(m)s") % {"m": first}, errors)


# ---------------------------------------------------------------- snapshots

def snapshot(version: ItemVersion) -> dict:
    """The version's content and materials as plain data (for audit, diff and export)."""
    data = {field: getattr(version, field) for field in CONTENT_FIELDS}
    data["materials"] = [{f: getattr(m, f) for f in MATERIAL_FIELDS} for m in version.materials.all()]
    data["version"] = version.version
    data["status"] = version.status
    return data


def _write_materials(version: ItemVersion, materials: list[dict]) -> None:
    version.materials.all().delete()
    Material.objects.bulk_create([Material(version=version, **row) for row in materials])


def _lock_item(item: ServiceItem) -> ServiceItem:
    return ServiceItem.objects.select_for_update(of=("self",)).select_related("department").get(pk=item.pk)


def _events(codes: Iterable[str] | None) -> list[LifeEvent] | None:
    if codes is None:
        return None
    codes = list(dict.fromkeys(codes))
    found = list(LifeEvent.objects.filter(code__in=codes))
    missing = set(codes) - {e.code for e in found}
    if missing:
        raise CatalogError(_("主题“%(c)s”不存在") % {"c": "、".join(sorted(missing))}, {"life_events": _("主题不存在")})
    return found


# ---------------------------------------------------------------- writes

@transaction.atomic
def do_create_item(*, actor, code: str, department: Department, region: Region | None = None,
                   content: Mapping[str, Any], materials: Iterable[Mapping[str, Any]] = (),
                   life_events: Iterable[str] | None = None) -> ServiceItem:
    """A new item with its first draft version (version 1) and materials."""
    require(actor, MANAGE, department=department)
    code = (code or "").strip()
    errors: dict[str, str] = {}
    if not CODE_RE.match(code):
        errors["code"] = _("事项编码应为字母、数字、点、横线或下划线，最长 64 位")
    elif ServiceItem.objects.filter(code=code).exists():
        errors["code"] = _("事项编码“%(c)s”已存在") % {"c": code}
    cleaned, content_errors = clean_content(content)
    rows, material_errors = clean_materials(materials)
    _raise_if({**errors, **content_errors, **material_errors})
    events = _events(life_events)
    item = ServiceItem.objects.create(code=code, department=department, region=region or department.region)
    if events:
        item.life_events.set(events)
    version = ItemVersion.objects.create(item=item, version=1, status=VersionStatus.DRAFT, **cleaned)
    _write_materials(version, rows)
    record("catalog.item.create", actor=actor, obj=item,
           after={"code": code, "department": department.code, "region": item.region.code,
                  "life_events": [e.code for e in events or []], "draft": snapshot(version)})
    return item


def _draft(item: ServiceItem) -> ItemVersion | None:
    return item.versions.filter(status=VersionStatus.DRAFT).first()


@transaction.atomic
def do_new_version(item: ServiceItem, *, actor) -> ItemVersion:
    """A new draft copied (with materials) from the current published version, or the draft
    already open for the item."""
    item = _lock_item(item)
    require(actor, MANAGE, department=item.department)
    existing = _draft(item)
    if existing is not None:
        return existing
    source = item.current or item.versions.order_by("-version").first()
    number = (item.versions.aggregate(n=Max("version"))["n"] or 0) + 1
    draft = ItemVersion.objects.create(item=item, version=number, status=VersionStatus.DRAFT,
                                       **{f: getattr(source, f) for f in CONTENT_FIELDS})
    Material.objects.bulk_create([Material(version=draft, **{f: getattr(m, f) for f in MATERIAL_FIELDS})
                                  for m in source.materials.all()])
    record("catalog.version.create", actor=actor, obj=draft,
           after={"item": item.code, "version": number, "from_version": source.version})
    return draft


@transaction.atomic
def do_edit(version: ItemVersion, *, actor, content: Mapping[str, Any],
            materials: Iterable[Mapping[str, Any]] | None = None,
            life_events: Iterable[str] | None = None) -> ItemVersion:
    """Edit a draft in place. Editing a published or retired version edits a new draft
    copied from it instead — what applicants were told never changes."""
    item = _lock_item(version.item)
    require(actor, MANAGE, department=item.department)
    version = ItemVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        version = do_new_version(item, actor=actor)
    cleaned, errors = clean_content({**{f: getattr(version, f) for f in CONTENT_FIELDS}, **content})
    rows, material_errors = clean_materials(materials) if materials is not None else ([], {})
    _raise_if({**errors, **material_errors})
    events = _events(life_events)
    before = snapshot(version)
    for field, value in cleaned.items():
        setattr(version, field, value)
    version.save()
    if materials is not None:
        _write_materials(version, rows)
    if events is not None:
        item.life_events.set(events)
    record("catalog.version.update", actor=actor, obj=version, before=before, after=snapshot(version))
    return version


@transaction.atomic
def do_publish(version: ItemVersion, *, actor) -> ItemVersion:
    """Draft → published; the previously published version is retired and item.current moves."""
    item = _lock_item(version.item)
    require(actor, MANAGE, department=item.department)
    version = ItemVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise CatalogConflict(_("只能发布草稿版本（当前为“%(s)s”）") % {"s": version.get_status_display()})
    _raise_if(clean_content({f: getattr(version, f) for f in CONTENT_FIELDS})[1])
    old = item.current
    item.versions.filter(status=VersionStatus.PUBLISHED).update(status=VersionStatus.RETIRED)
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor if getattr(actor, "pk", None) else None
    version.save(update_fields=["status", "published_at", "published_by"])
    item.current = version
    item.save(update_fields=["current"])
    record("catalog.version.publish", actor=actor, obj=version,
           before={"current_version": old.version if old else None},
           after={"item": item.code, "version": version.version})
    return version


@transaction.atomic
def do_discard_draft(version: ItemVersion, *, actor) -> None:
    """Delete an unpublished draft (not the only version of an item)."""
    item = _lock_item(version.item)
    require(actor, MANAGE, department=item.department)
    version = ItemVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise CatalogConflict(_("只能删除草稿版本"))
    if item.versions.count() == 1:
        raise CatalogConflict(_("这是事项唯一的版本，不能删除"))
    before = snapshot(version)
    version.delete()
    record("catalog.version.discard", actor=actor, object_type="catalog.itemversion",
           object_id=str(before["version"]), object_repr=f"{item.code} v{before['version']}", before=before)


# ---------------------------------------------------------------- life events (主题)

SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


def require_citywide(actor, action: str) -> None:
    """Life events are one list for the whole city: a grant limited to some departments or a
    region may not rename or remove what every department's items are filed under."""
    require(actor, action)
    if scope_q(actor, action) != Q():
        raise PermissionDenied(_("主题为全市共用，维护主题须有全市范围的授权"))


def _item_codes(codes: Iterable[str] | None, errors: dict, field: str = "items") -> list[ServiceItem] | None:
    if codes is None:
        return None
    wanted = list(dict.fromkeys(str(c).strip() for c in codes if str(c).strip()))
    found = {i.code: i for i in ServiceItem.objects.filter(code__in=wanted).select_related("current")}
    missing = [c for c in wanted if c not in found]
    if missing:
        errors[field] = _("事项“%(c)s”不存在") % {"c": "、".join(missing)}
    return [found[c] for c in wanted if c in found]


def clean_life_event(data: Mapping[str, Any], *, instance: LifeEvent | None = None
                     ) -> tuple[dict, list[ServiceItem] | None, dict[str, str]]:
    """Normalised fields, the member items (None: leave membership alone) and field errors."""
    errors: dict[str, str] = {}
    code = str(data.get("code") or "").strip()
    name = str(data.get("name") or "").strip()
    audience = str(data.get("audience") or Audience.BOTH)
    if not SLUG_RE.match(code):
        errors["code"] = _("主题编码应为字母、数字、横线或下划线，最长 40 位")
    elif LifeEvent.objects.filter(code=code).exclude(pk=getattr(instance, "pk", None)).exists():
        errors["code"] = _("主题编码“%(c)s”已存在") % {"c": code}
    if not name:
        errors["name"] = _("请填写主题名称")
    elif len(name) > 60:
        errors["name"] = _("主题名称不能超过 %(n)d 个字") % {"n": 60}
    if audience not in Audience.values:
        errors["audience"] = _("服务对象不正确")
    order = _int(data.get("sort_order", 100)) if data.get("sort_order") not in (None, "") else 100
    if order is None or not 0 <= order <= 1_000_000:
        errors["sort_order"] = _("排序应为 0–1000000 的整数")
    items = _item_codes(data.get("items"), errors)
    return {"code": code, "name": name, "audience": audience, "sort_order": order}, items, errors


def life_event_snapshot(event: LifeEvent) -> dict:
    return {"code": event.code, "name": event.name, "audience": event.audience, "sort_order": event.sort_order,
            "items": sorted(event.items.values_list("code", flat=True))}


def _raise_topic(errors: dict[str, str]) -> None:
    if errors:
        raise CatalogError(_("主题信息有误：%(m)s") % {"m": next(iter(errors.values()))}, errors)


@transaction.atomic
def do_create_life_event(*, actor, data: Mapping[str, Any]) -> LifeEvent:
    """A new life event, optionally with the items filed under it."""
    require_citywide(actor, TOPIC)
    fields, items, errors = clean_life_event(data)
    _raise_topic(errors)
    event = LifeEvent.objects.create(**fields)
    if items:
        event.items.set(items)
    record("catalog.topic.create", actor=actor, obj=event, after=life_event_snapshot(event))
    return event


@transaction.atomic
def do_update_life_event(event: LifeEvent, *, actor, data: Mapping[str, Any]) -> LifeEvent:
    """Change a life event's code, name, audience, order and (when given) its items."""
    require_citywide(actor, TOPIC)
    event = LifeEvent.objects.select_for_update().get(pk=event.pk)
    fields, items, errors = clean_life_event(data, instance=event)
    _raise_topic(errors)
    before = life_event_snapshot(event)
    for name, value in fields.items():
        setattr(event, name, value)
    event.save(update_fields=list(fields))
    if items is not None:
        event.items.set(items)
    record("catalog.topic.update", actor=actor, obj=event, before=before, after=life_event_snapshot(event))
    return event


@transaction.atomic
def do_delete_life_event(event: LifeEvent, *, actor) -> None:
    """Delete a life event nothing is filed under any more (refused while items or bundles use it)."""
    require_citywide(actor, TOPIC)
    event = LifeEvent.objects.select_for_update().get(pk=event.pk)
    items, bundles = event.items.count(), event.bundles.count()
    if items or bundles:
        raise CatalogConflict(
            _("主题“%(n)s”下仍有 %(i)d 个事项、%(b)d 个“一件事”，请先将其移出后再删除")
            % {"n": event.name, "i": items, "b": bundles})
    before = life_event_snapshot(event)
    pk = event.pk
    event.delete()
    record("catalog.topic.delete", actor=actor, object_type="catalog.lifeevent", object_id=str(pk),
           object_repr=before["name"], before=before)


# ---------------------------------------------------------------- bundles (一件事一次办)

BUNDLE_FIELDS = ("name", "description", "items", "life_event", "lead_department", "form_schema", "promised_days")


def clean_bundle(data: Mapping[str, Any]) -> tuple[dict, dict[str, str]]:
    """Resolved bundle fields (items, life event and lead department as objects) and errors.
    An empty form schema means "merge the items' current forms when someone applies"."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {"name": str(data.get("name") or "").strip(),
                           "description": str(data.get("description") or "").strip()}
    if not out["name"]:
        errors["name"] = _("请填写名称")
    elif len(out["name"]) > 100:
        errors["name"] = _("名称不能超过 %(n)d 个字") % {"n": 100}
    if len(out["description"]) > 5000:
        errors["description"] = _("说明不能超过 %(n)d 个字") % {"n": 5000}
    items = _item_codes(data.get("items") or [], errors) or []
    closed = [i.code for i in items if i.current is None or i.current.status != VersionStatus.PUBLISHED]
    if closed:
        errors.setdefault("items", _("事项“%(c)s”没有已发布的版本，不能纳入“一件事”") % {"c": "、".join(closed)})
    out["items"] = items
    code = str(data.get("life_event") or "").strip()
    out["life_event"] = LifeEvent.objects.filter(code=code).first() if code else None
    if code and out["life_event"] is None:
        errors["life_event"] = _("主题“%(c)s”不存在") % {"c": code}
    dept = str(data.get("lead_department") or "").strip()
    out["lead_department"] = Department.objects.filter(code=dept, is_active=True).select_related("region").first()
    if out["lead_department"] is None:
        errors["lead_department"] = _("牵头部门“%(c)s”不存在或已停用") % {"c": dept}
    schema = data.get("form_schema") or {}
    problems = jsonform.check_schema(schema)
    if problems:
        errors["form_schema"] = problems[0]
    out["form_schema"] = schema
    days = _int(data.get("promised_days"))
    if data.get("promised_days") in (None, ""):
        errors["promised_days"] = _("请填写承诺办结时限")
    elif days is None or not 1 <= days <= 3650:
        errors["promised_days"] = _("承诺办结时限应为 1–3650 的整数")
    out["promised_days"] = days
    return out, errors


def _form_gaps(schema: Mapping, items: list[ServiceItem]) -> list[str]:
    """Fields an item's own form requires that the combined form would not collect: its member
    application would be created without them (applications copy each item's fields out)."""
    props = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    gaps = []
    for item in items:
        own = item.current.form_schema or {}
        for key in own.get("required") or []:
            node = (own.get("properties") or {}).get(key, {})
            title = node.get("title") or key
            where = {"item": item.current.name, "field": title}
            if key not in props:
                gaps.append(_("合并申请表缺少事项“%(item)s”的必填字段“%(field)s”") % where)
            elif key not in required:
                gaps.append(_("合并申请表应将“%(field)s”设为必填（事项“%(item)s”要求填写）") % where)
            elif node.get("type") != props[key].get("type"):
                gaps.append(_("合并申请表中“%(field)s”的类型与事项“%(item)s”不一致") % where)
    return gaps


def publish_problems(items: list[ServiceItem], form_schema: Mapping, promised_days: int | None) -> dict[str, str]:
    """Why a bundle with these contents may not be (or stay) published; {} when it may."""
    problems: dict[str, str] = {}
    if len(items) < 2:
        problems["items"] = _("“一件事”至少应包含两个事项")
    closed = [i.code for i in items if i.current is None or i.current.status != VersionStatus.PUBLISHED]
    if closed:
        problems["items"] = _("事项“%(c)s”没有已发布的版本") % {"c": "、".join(closed)}
        return problems
    longest = max((i.current.statutory_days for i in items), default=0)
    if items and promised_days and promised_days > longest:
        problems["promised_days"] = _("承诺办结时限（%(p)d 个工作日）不能超过所含事项中最长的法定办结时限"
                                      "（%(s)d 个工作日）") % {"p": promised_days, "s": longest}
    if form_schema:
        gaps = _form_gaps(form_schema, items)
        if gaps:
            problems["form_schema"] = gaps[0]
    return problems


def bundle_snapshot(bundle: Bundle) -> dict:
    return {"code": bundle.code, "name": bundle.name, "description": bundle.description,
            "items": sorted(bundle.items.values_list("code", flat=True)),
            "life_event": bundle.life_event.code if bundle.life_event_id else None,
            "lead_department": bundle.lead_department.code, "form_schema": bundle.form_schema,
            "promised_days": bundle.promised_days, "published": bundle.published}


def _raise_bundle(errors: dict[str, str], conflict: bool = False) -> None:
    if errors:
        cls = CatalogConflict if conflict else CatalogError
        raise cls(_("“一件事”信息有误：%(m)s") % {"m": next(iter(errors.values()))}, errors)


def _save_bundle(bundle: Bundle, fields: dict) -> None:
    for name in BUNDLE_FIELDS:
        if name != "items":
            setattr(bundle, name, fields[name])
    bundle.save()
    bundle.items.set(fields["items"])


@transaction.atomic
def do_create_bundle(*, actor, code: str, data: Mapping[str, Any]) -> Bundle:
    """A new, unpublished bundle led by a department in the actor's scope."""
    require(actor, BUNDLE)
    code = (code or "").strip()
    fields, errors = clean_bundle(data)
    if not SLUG_RE.match(code):
        errors["code"] = _("编码应为字母、数字、横线或下划线，最长 40 位")
    elif Bundle.objects.filter(code=code).exists():
        errors["code"] = _("编码“%(c)s”已存在") % {"c": code}
    _raise_bundle(errors)
    require(actor, BUNDLE, department=fields["lead_department"])
    bundle = Bundle(code=code, published=False)
    _save_bundle(bundle, fields)
    record("catalog.bundle.create", actor=actor, obj=bundle, after=bundle_snapshot(bundle))
    return bundle


def _lock_bundle(bundle: Bundle, actor) -> Bundle:
    bundle = Bundle.objects.select_for_update(of=("self",)).select_related("lead_department").get(pk=bundle.pk)
    require(actor, BUNDLE, department=bundle.lead_department)
    return bundle


@transaction.atomic
def do_update_bundle(bundle: Bundle, *, actor, data: Mapping[str, Any]) -> Bundle:
    """Edit a bundle (the code stays). A published bundle must stay publishable: what is
    open for applications must be something the application side can run."""
    bundle = _lock_bundle(bundle, actor)
    fields, errors = clean_bundle(data)
    _raise_bundle(errors)
    require(actor, BUNDLE, department=fields["lead_department"])
    if bundle.published:
        _raise_bundle(publish_problems(fields["items"], fields["form_schema"], fields["promised_days"]))
    before = bundle_snapshot(bundle)
    _save_bundle(bundle, fields)
    record("catalog.bundle.update", actor=actor, obj=bundle, before=before, after=bundle_snapshot(bundle))
    return bundle


@transaction.atomic
def do_publish_bundle(bundle: Bundle, *, actor) -> Bundle:
    """Open the bundle for applications once it passes the publication checks."""
    bundle = _lock_bundle(bundle, actor)
    if bundle.published:
        raise CatalogConflict(_("“一件事”已发布"))
    items = list(bundle.items.select_related("current"))
    _raise_bundle(publish_problems(items, bundle.form_schema, bundle.promised_days), conflict=True)
    Bundle.objects.filter(pk=bundle.pk).update(published=True)
    bundle.published = True
    record("catalog.bundle.publish", actor=actor, obj=bundle, before={"published": False},
           after={"published": True, "items": sorted(i.code for i in items)})
    return bundle


@transaction.atomic
def do_unpublish_bundle(bundle: Bundle, *, actor) -> Bundle:
    """Close the bundle to new applications; cases already submitted carry on."""
    bundle = _lock_bundle(bundle, actor)
    if not bundle.published:
        raise CatalogConflict(_("“一件事”未发布"))
    Bundle.objects.filter(pk=bundle.pk).update(published=False)
    bundle.published = False
    record("catalog.bundle.unpublish", actor=actor, obj=bundle, before={"published": True},
           after={"published": False})
    return bundle
