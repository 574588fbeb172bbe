"""Application forms defined by JSON Schema (Draft 2020-12).

* ``validate(schema, data)`` → ``{field: 中文错误}`` (``{}`` when valid). Nested objects give
  dotted keys (``"address.city"``); errors without a field go under ``"__all__"``.
* ``coerce(schema, post)`` turns submitted strings into typed values (integer, number, boolean,
  ISO date strings); empty inputs are dropped so ``required`` reports them.
* ``render(schema, data, errors, prefix)`` → HTML for the site's ``form.stack``.
* ``merge(schemas)`` builds a bundle's combined form: the same property name is one field.
* ``check_schema(schema)`` → list of Chinese problems with a schema itself (``[]`` when usable).

Custom formats ``id_number``, ``uscc`` and ``mobile`` use :mod:`zhengtong.core.identifiers`;
``date`` and ``email`` are checked too; ``textarea`` is a rendering hint only. Enum labels may be
given as ``"enumNames": [...]`` next to ``"enum"``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError, ValidationError
from jsonschema.validators import validator_for

from zhengtong.core.identifiers import (
    IdentifierError,
    normalize_id_number,
    normalize_mobile,
    normalize_uscc,
)

__all__ = ["FORMAT_CHECKER", "check_schema", "coerce", "merge", "render", "validate"]

ALL = "__all__"

FORMAT_CHECKER = FormatChecker(formats=("date", "email"))


@FORMAT_CHECKER.checks("id_number", raises=IdentifierError)
def _is_id_number(value: object) -> bool:
    return not isinstance(value, str) or bool(normalize_id_number(value))


@FORMAT_CHECKER.checks("uscc", raises=IdentifierError)
def _is_uscc(value: object) -> bool:
    return not isinstance(value, str) or bool(normalize_uscc(value))


@FORMAT_CHECKER.checks("mobile", raises=IdentifierError)
def _is_mobile(value: object) -> bool:
    return not isinstance(value, str) or bool(normalize_mobile(value))


@FORMAT_CHECKER.checks("textarea")
def _is_text(value: object) -> bool:
    return True


# translated when a message is built (the request's language)
_TYPE_NAMES = {
    "string": pgettext_lazy("value type", "文本"), "integer": pgettext_lazy("value type", "整数"),
    "number": pgettext_lazy("value type", "数字"), "boolean": pgettext_lazy("value type", "是或否"),
    "array": pgettext_lazy("value type", "列表"), "object": pgettext_lazy("value type", "对象"),
    "null": pgettext_lazy("value type", "空值"),
}
_FORMAT_NAMES = {"date": gettext_lazy("有效日期（如 2024-05-01）"), "email": gettext_lazy("有效的电子邮箱地址")}


# ---------------------------------------------------------------- schema checks

def check_schema(schema: object) -> list[str]:
    """Problems that make ``schema`` unusable as an application form (Chinese, [] when fine)."""
    if not isinstance(schema, Mapping):
        return [_("申请表必须是 JSON 对象")]
    try:
        validator_for(schema, default=Draft202012Validator).check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.path) or _("根")
        return [_("申请表不是有效的 JSON Schema（%(where)s：%(msg)s）") % {"where": where, "msg": exc.message}]
    problems = []
    if schema.get("type", "object") != "object":
        problems.append(_("申请表的 type 必须为 object"))
    props = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in props:
            problems.append(_("必填字段“%(name)s”未在 properties 中定义") % {"name": name})
    return problems


def _validator(schema: Mapping):
    cls = validator_for(schema, default=Draft202012Validator)
    return cls(schema, format_checker=FORMAT_CHECKER)


# ---------------------------------------------------------------- validation

def _subschema(schema: Mapping, path: list) -> Mapping:
    node: Any = schema
    for part in path:
        if isinstance(part, int):
            node = node.get("items", {}) if isinstance(node, Mapping) else {}
        else:
            node = node.get("properties", {}).get(part, {}) if isinstance(node, Mapping) else {}
    return node if isinstance(node, Mapping) else {}


def _title(schema: Mapping, path: list) -> str:
    node = _subschema(schema, path)
    return str(node.get("title") or (path[-1] if path else _("表单")))


def _field_key(path: list) -> str:
    return ".".join(str(p) for p in path if not isinstance(p, int)) or ALL


def _message(schema: Mapping, err: ValidationError) -> tuple[str, str]:
    """(field key, Chinese message) for one jsonschema error."""
    path = list(err.absolute_path)
    kind = err.validator
    if kind == "required":
        missing = re.match(r"^'(.+)' is a required property$", err.message)
        name = missing.group(1) if missing else str(err.validator_value[0])
        path = [*path, name]
        return _field_key(path), _("请填写“%(t)s”") % {"t": _title(schema, path)}
    title = _title(schema, path)
    node = _subschema(schema, path)
    val = err.validator_value
    custom = node.get("errorMessage") if isinstance(node, Mapping) else None
    if isinstance(custom, str) and kind in ("pattern", "format"):
        return _field_key(path), custom
    params = {"t": title, "n": val}
    table = {
        "maxLength": _("“%(t)s”不能超过 %(n)s 个字"),
        "minLength": _("“%(t)s”至少填写 %(n)s 个字"),
        "pattern": _("“%(t)s”格式不正确"),
        "enum": _("“%(t)s”请从给定选项中选择"),
        "const": _("“%(t)s”的值不正确"),
        "minimum": _("“%(t)s”不能小于 %(n)s"),
        "maximum": _("“%(t)s”不能大于 %(n)s"),
        "exclusiveMinimum": _("“%(t)s”必须大于 %(n)s"),
        "exclusiveMaximum": _("“%(t)s”必须小于 %(n)s"),
        "multipleOf": _("“%(t)s”必须是 %(n)s 的整数倍"),
        "minItems": _("“%(t)s”至少选择 %(n)s 项"),
        "maxItems": _("“%(t)s”最多选择 %(n)s 项"),
        "uniqueItems": _("“%(t)s”不能有重复项"),
    }
    if kind in table:
        return _field_key(path), table[kind] % params
    if kind == "type":
        types = val if isinstance(val, list) else [val]
        names = pgettext("alternatives", "或").join(str(_TYPE_NAMES.get(t, t)) for t in types)
        return _field_key(path), _("“%(t)s”应为%(n)s") % {"t": title, "n": names}
    if kind == "format":
        if isinstance(err.cause, IdentifierError):
            return _field_key(path), f"“{title}”：{err.cause}"
        what = str(_FORMAT_NAMES.get(str(val), val))
        return _field_key(path), _("“%(t)s”应为%(n)s") % {"t": title, "n": what}
    if kind == "additionalProperties":
        return ALL, _("表单含有未定义的字段")
    return _field_key(path), _("“%(t)s”填写不正确") % {"t": title}


def validate(schema: Mapping, data: Mapping) -> dict[str, str]:
    """Validate ``data`` against ``schema``; one Chinese message per field, {} when valid."""
    if not schema:
        return {}
    errors: dict[str, str] = {}
    found = sorted(_validator(schema).iter_errors(dict(data)),
                   key=lambda e: (e.validator != "required", len(e.absolute_path)))
    for err in found:
        key, msg = _message(schema, err)
        errors.setdefault(key, msg)
    return errors


# ---------------------------------------------------------------- coercion

_DATE_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def _to_date(raw: str) -> str:
    match = _DATE_RE.match(raw)
    if not match:
        return raw
    try:
        return date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return raw


def _scalar(node: Mapping, raw: str) -> Any:
    kind = node.get("type")
    raw = raw.strip()
    if kind == "integer":
        try:
            return int(raw)
        except ValueError:
            try:
                num = float(raw)
            except ValueError:
                return raw
            return int(num) if num.is_integer() else num
    if kind == "number":
        try:
            num = float(raw)
        except ValueError:
            return raw
        return int(num) if num.is_integer() else num
    if kind == "boolean":
        return raw.lower() in ("1", "true", "on", "yes", "是", "y")
    if node.get("format") == "date":
        return _to_date(raw)
    if node.get("format") in ("id_number", "uscc"):
        return raw.upper()
    return raw


def _getlist(post: Any, name: str) -> list:
    if hasattr(post, "getlist"):
        return post.getlist(name)
    value = post.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def coerce(schema: Mapping, post: Any, prefix: str = "") -> dict:
    """Typed values from a QueryDict or plain dict of submitted strings.

    Empty strings are dropped; an unchecked boolean becomes False; unparseable numbers stay
    strings so :func:`validate` reports them; non-string values pass through unchanged."""
    out: dict = {}
    for key, node in (schema.get("properties") or {}).items():
        name = f"{prefix}{key}"
        kind = node.get("type")
        if kind == "object":
            sub = coerce(node, post, prefix=f"{name}.")
            if sub:
                out[key] = sub
            continue
        if kind == "array":
            values = [v for v in _getlist(post, name) if not (isinstance(v, str) and not v.strip())]
            item = node.get("items") or {}
            values = [_scalar(item, v) if isinstance(v, str) else v for v in values]
            if values or hasattr(post, "getlist"):
                out[key] = values
            continue
        value = post.get(name)
        if kind == "boolean" and (value is None or value == ""):
            out[key] = False
            continue
        if value is None:
            continue
        if isinstance(value, str):
            if not value.strip():
                continue
            value = _scalar(node, value)
        out[key] = value
    return out


# ---------------------------------------------------------------- rendering

def _options(node: Mapping) -> list[tuple[Any, str]]:
    values = node.get("enum") or []
    names = node.get("enumNames") or []
    return [(v, str(names[i]) if i < len(names) else str(v)) for i, v in enumerate(values)]


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _input(name: str, fid: str, node: Mapping, value: Any, required: bool, described: str) -> SafeString:
    kind = node.get("type")
    fmt = node.get("format")
    attrs: dict[str, Any] = {"name": name, "id": fid}
    if required:
        attrs["required"] = True
    if node.get("readOnly"):
        attrs["readonly"] = True
    if described:
        attrs["aria-describedby"] = described
        if "_error" in described:
            attrs["aria-invalid"] = "true"
    if "enum" in node:
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((_display(v), mark_safe(" selected") if _display(v) == _display(value) else "", label)
             for v, label in _options(node)))
        return format_html('<select{}><option value="">{}</option>{}</select>',
                           _attrs(attrs), _("请选择"), options)
    if kind == "boolean":
        attrs.pop("required", None)
        checked = " checked" if value is True or value in ("on", "true", "1") else ""
        return format_html('<input type="checkbox" value="true"{}{}>', _attrs(attrs), mark_safe(checked))
    if fmt == "textarea":
        if node.get("maxLength"):
            attrs["maxlength"] = node["maxLength"]
        return format_html('<textarea rows="4"{}>{}</textarea>', _attrs(attrs), _display(value))
    if kind in ("integer", "number"):
        attrs["type"] = "number"
        attrs["step"] = "1" if kind == "integer" else "any"
        for key, html in (("minimum", "min"), ("maximum", "max")):
            if key in node:
                attrs[html] = node[key]
    else:
        attrs["type"] = {"date": "date", "email": "email", "mobile": "tel"}.get(fmt, "text")
        if node.get("maxLength"):
            attrs["maxlength"] = node["maxLength"]
    attrs["value"] = _display(value)
    return format_html("<input{}>", _attrs(attrs))


def _attrs(attrs: Mapping[str, Any]) -> SafeString:
    parts = []
    for key, value in attrs.items():
        if value is True:
            parts.append(format_html(" {}", key))
        elif value is not None and value is not False:
            parts.append(format_html(' {}="{}"', key, value))
    return mark_safe("".join(parts))


def _checkbox_group(name: str, fid: str, node: Mapping, value: Any) -> SafeString:
    chosen = {_display(v) for v in (value or [])}
    item = node.get("items") or {}
    return format_html_join(
        "", '<label class="choice"><input type="checkbox" name="{}" id="{}_{}" value="{}"{}> {}</label>',
        ((name, fid, i, _display(v), mark_safe(" checked") if _display(v) in chosen else "", label)
         for i, (v, label) in enumerate(_options(item))))


def render(schema: Mapping, data: Mapping | None = None, errors: Mapping | None = None,
           prefix: str = "") -> SafeString:
    """HTML inputs (one ``<p>`` per field, fieldsets for nested objects) for ``form.stack``.

    ``errors`` is what :func:`validate` returned (keys without ``prefix``); input names are
    ``prefix + key`` (nested: ``prefix + "parent.child"``), matching :func:`coerce`."""
    return _render(schema, data or {}, errors or {}, prefix, "")


def _render(schema: Mapping, data: Mapping, errors: Mapping, prefix: str, path: str) -> SafeString:
    required = set(schema.get("required") or [])
    parts: list[SafeString] = []
    if not path and errors.get(ALL):
        parts.append(format_html('<ul class="errorlist nonfield"><li>{}</li></ul>', errors[ALL]))
    for key, node in (schema.get("properties") or {}).items():
        name = f"{prefix}{path}{key}"
        fid = "id_" + re.sub(r"[^\w-]", "_", name)
        title = node.get("title") or key
        error = errors.get(f"{path}{key}")
        if node.get("type") == "object":
            inner = _render(node, data.get(key) or {}, errors, prefix, f"{path}{key}.")
            parts.append(format_html('<fieldset class="subform"><legend>{}</legend>{}</fieldset>', title, inner))
            continue
        described = " ".join(x for x in (
            f"{fid}_help" if node.get("description") else "", f"{fid}_error" if error else "") if x)
        mark = format_html('<span class="required" title="{}">*</span>', _("必填")) if key in required else ""
        if node.get("type") == "array" and "enum" in (node.get("items") or {}):
            control = _checkbox_group(name, fid, node, data.get(key))
        else:
            control = _input(name, fid, node, data.get(key, node.get("default")), key in required, described)
        help_html = (format_html('<span class="helptext" id="{}_help">{}</span>', fid, node["description"])
                     if node.get("description") else "")
        error_html = (format_html('<ul class="errorlist" id="{}_error"><li>{}</li></ul>', fid, error)
                      if error else "")
        css = "field" + (" has-error" if error else "")
        if node.get("type") == "boolean":
            parts.append(format_html('<p class="{}"><label for="{}">{} {}{}</label>{}{}</p>',
                                     css, fid, control, title, mark, help_html, error_html))
        else:
            parts.append(format_html('<p class="{}"><label for="{}">{}{}</label>{}{}{}</p>',
                                     css, fid, title, mark, control, help_html, error_html))
    return mark_safe("".join(parts))


# ---------------------------------------------------------------- merging

def merge(schemas: list[Mapping], title: str = "") -> dict:
    """One form for a bundle: properties in first-seen order, the same name is one field
    (its first definition wins); ``required`` is the union."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for schema in schemas:
        for key, node in (schema.get("properties") or {}).items():
            properties.setdefault(key, copy.deepcopy(node))
        for key in schema.get("required") or []:
            if key not in required:
                required.append(key)
    merged: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "title": title or _("合并申请表"),
        "properties": properties,
    }
    if required:
        merged["required"] = required
    return merged
