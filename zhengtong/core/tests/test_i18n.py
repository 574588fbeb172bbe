"""The English catalog: switching language shows English, and no translation breaks a placeholder."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

CATALOG = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"

# %(name)s / %(n)d style, bare %s / %d, and {name} / {} str.format fields.
_PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%[sdifr]|\{[^{}\s]*\}")


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1:line.rindex('"')]
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def _entries(path: Path) -> list[dict[str, object]]:
    """Minimal .po reader: returns dicts with msgid, msgid_plural and msgstr (list), flags."""
    entries, current, field = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current is not None:
                entries.append(current)
            current, field = None, None
            continue
        if current is None:
            current = {"msgid": "", "msgid_plural": None, "msgstr": [], "flags": set()}
        if line.startswith("#,"):
            current["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            field, current["msgid_plural"] = "msgid_plural", _unquote(line)
        elif line.startswith("msgid "):
            field, current["msgid"] = "msgid", _unquote(line)
        elif line.startswith("msgstr"):
            field = "msgstr"
            current["msgstr"].append(_unquote(line))
        elif line.startswith('"'):
            if field == "msgstr":
                current["msgstr"][-1] += _unquote(line)
            else:
                current[field] += _unquote(line)
    return [e for e in entries if e["msgid"]]


def _placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def test_every_translation_keeps_the_placeholders_of_its_source():
    entries = _entries(CATALOG)
    assert len(entries) > 400
    problems = []
    for e in entries:
        assert "fuzzy" not in e["flags"], e["msgid"]
        assert all(e["msgstr"]), f"untranslated: {e['msgid']}"
        wanted = _placeholders(e["msgid"])
        for s in e["msgstr"]:
            if _placeholders(s) != wanted:
                problems.append((e["msgid"], s))
            if e["msgid"].endswith("\n") != s.endswith("\n") or e["msgid"].startswith("\n") != s.startswith("\n"):
                problems.append((e["msgid"], s))
    assert problems == []


def test_the_compiled_catalog_is_committed_alongside_the_source():
    mo = CATALOG.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_size > 0


def test_home_and_login_are_chinese_by_default(client, city):
    home = client.get("/").content.decode()
    assert "主办单位" in home and ">登录<" in home and "Sponsor" not in home
    login = client.get("/accounts/login/").content.decode()
    assert "账号" in login and "密码" in login and "用户登录" in login


def test_home_and_login_switch_to_english(client, city):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    home = client.get("/").content.decode()
    for text in ("Sponsor", "Operator", "Hotline", "Website ID code", ">Log in<",
                 "Register (personal)", "Skip to main content", "Get services"):
        assert text in home, text
    for text in ("主办单位", "办事入口", "跳到主要内容"):
        assert text not in home, text
    login = client.get("/accounts/login/").content.decode()
    assert ">Account" in login and ">Password" in login and "unified social credit code" in login
    assert "账号" not in login and "用户登录" not in login


def test_working_day_counts_take_the_english_plural():
    from django.template import Context, Template
    from django.utils import translation

    days = Template('{% load i18n %}{% blocktranslate count n=n %}{{ n }} 个工作日{% plural %}{{ n }} 个工作日'
                    '{% endblocktranslate %}')
    with translation.override("en"):
        assert [days.render(Context({"n": n})) for n in (1, 20)] == ["1 working day", "20 working days"]
    with translation.override("zh-hans"):
        assert days.render(Context({"n": 20})) == "20 个工作日"


def test_every_choice_label_of_the_models_reads_in_english():
    """Statuses, kinds, scopes… are shown in the reader's language; the stored codes and the
    Chinese source texts stay as they are (so no migration follows a translation)."""
    from django.apps import apps
    from django.utils import translation

    from zhengtong.lib.labels import source_text

    untranslated, seen = [], 0
    for model in apps.get_models():
        if not model.__module__.startswith("zhengtong."):
            continue
        for field in model._meta.concrete_fields:
            for code, label in field.flatchoices:
                seen += 1
                with translation.override("en"):
                    english = str(label)
                if english == source_text(label) or str(label) != source_text(label):
                    untranslated.append(f"{model._meta.label}.{field.name}={code}: {english}")
    assert seen > 100
    assert untranslated == []


def _english_and_source(label) -> tuple[str, str]:
    from django.utils import translation

    from zhengtong.lib.labels import source_text

    with translation.override("en"):
        english = str(label)
    return english, source_text(label)


def test_every_label_registered_in_code_reads_in_english():
    """Case types, permission actions, shipped processes, console menus and items, scheduled
    jobs: registered at import time in Chinese, shown in the reader's language. (Types the
    tests register for themselves are left out.)"""
    from zhengtong.core import console
    from zhengtong.core.jobs.schedule import SCHEDULE
    from zhengtong.core.permissions.registry import ACTIONS
    from zhengtong.core.timelimits.registry import CASE_TYPES
    from zhengtong.services.catalog.registry import PROCESS_LABELS
    from zhengtong.services.workflow.definitions import SHIPPED_KEYS

    labels = {f"case type {c}": s.label for c, s in CASE_TYPES.items() if not c.startswith("test.")}
    labels |= {f"action {c}": a.label for c, a in ACTIONS.items() if not c.startswith("test.")}
    labels |= {f"process {k}": PROCESS_LABELS[k] for k in SHIPPED_KEYS}
    labels |= {f"menu {c}": m[0] for c, m in console.MENUS.items()}
    labels |= {f"console item {i.url_name}": i.label for i in console.ITEMS}
    labels |= {f"job {j.name}": j.description for j in SCHEDULE}
    assert len(labels) > 60
    untranslated = [key for key, label in labels.items() if len(set(_english_and_source(label))) == 1]
    assert untranslated == []


def test_a_case_type_and_an_action_are_labelled_in_the_readers_language():
    from django.utils import translation

    from zhengtong.core.permissions.registry import ACTIONS
    from zhengtong.core.timelimits.registry import CASE_TYPES

    acceptance, view = CASE_TYPES["services.acceptance"], ACTIONS["timelimits.case.view"]
    with translation.override("en"):
        assert (str(acceptance.label), str(view.label)) == ("Case acceptance", "View time-limited cases")
    assert (str(acceptance.label), str(view.label)) == ("办件受理", "查看时限案件")


def test_a_label_and_its_value_are_joined_in_the_readers_language():
    from django.template import engines
    from django.utils import translation

    page = engines["django"].from_string('{% load i18n %}{% translate "事项编码" %}{% colon %}SCJG-001')
    assert page.render({}) == "事项编码：SCJG-001"
    with translation.override("en"):
        assert page.render({}) == "Item code: SCJG-001"
