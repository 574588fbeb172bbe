"""Process definitions: the BPMN shipped with the code, uploaded ones, and the SpiffWorkflow
glue (parse, create, serialise, restore) with the sandboxed script engine.

Only two kinds of process may run: those in ``processes/*.bpmn`` (reviewed with the code)
and uploaded ones stored in ``ProcessDefinition`` that either contain no scripts or were
approved by a system administrator. Every expression of an upload is checked against the
sandbox's allow-list before it is stored.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from zhengtong.services.workflow.sandbox import UnsafeExpression, check, script_engine

PROCESS_DIR = Path(__file__).resolve().parent / "processes"
SHIPPED_KEYS = ("simple", "countersign", "parallel")
MAX_BPMN_BYTES = 512 * 1024

# Elements whose presence means code runs: refused in uploads unless approved.
SCRIPT_TAGS = {"scriptTask", "script", "preScript", "postScript", "serviceTask", "businessRuleTask",
               "calledDecisionId", "serviceTaskOperator"}
# Elements whose text is an expression: checked against the allow-list in every upload.
EXPRESSION_TAGS = {"conditionExpression", "timeDate", "timeDuration", "timeCycle", "completionCondition",
                   "loopCardinality", "condition"}


class DefinitionError(ValueError):
    """A process cannot be loaded or an upload is refused; the message is for the user."""


@dataclass(frozen=True)
class Loaded:
    key: str
    name: str
    spec: Any
    has_scripts: bool
    has_timers: bool = False


SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))

_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                               remove_comments=True)


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def parse_xml(bpmn: str | bytes) -> etree._Element:
    """Parse untrusted XML: no DTD, no entities, no network."""
    raw = bpmn.encode() if isinstance(bpmn, str) else bpmn
    if len(raw) > MAX_BPMN_BYTES:
        raise DefinitionError(_("BPMN 文件过大（上限 512 KB）"))
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise DefinitionError(_("BPMN 文件不能包含 DOCTYPE 或实体声明"))
    try:
        return etree.fromstring(raw, _SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise DefinitionError(_("BPMN 不是合法的 XML：%(error)s") % {"error": exc.msg}) from None


def has_timers(root: etree._Element) -> bool:
    return any(_local(e.tag) == "timerEventDefinition" for e in root.iter())


def scan(root: etree._Element) -> bool:
    """Check every expression against the allow-list; return whether the process has scripts."""
    has_scripts = False
    for element in root.iter():
        name = _local(element.tag)
        if name in SCRIPT_TAGS:
            has_scripts = True
        elif name in EXPRESSION_TAGS and (element.text or "").strip():
            try:
                check(element.text.strip())
            except UnsafeExpression as exc:
                raise DefinitionError(_("流程表达式不安全：%(expr)s（%(error)s）")
                                      % {"expr": element.text.strip()[:80], "error": exc}) from None
    return has_scripts


def _parse(root: etree._Element, key: str) -> Any:
    parser = SpiffBpmnParser(validator=VALIDATOR)
    try:
        parser.add_bpmn_xml(root, filename=f"{key}.bpmn")
        if key not in parser.get_process_ids():
            raise DefinitionError(_("BPMN 中没有编码为 %(key)s 的流程") % {"key": key})
        return parser.get_spec(key)
    except (ValidationException, SpiffWorkflowException) as exc:
        raise DefinitionError(_("BPMN 无法解析：%(error)s") % {"error": str(exc)[:300]}) from None


@functools.cache
def _shipped(key: str) -> Loaded:
    root = etree.parse(str(PROCESS_DIR / f"{key}.bpmn")).getroot()
    spec = _parse(root, key)
    return Loaded(key, getattr(spec, "description", "") or key, spec, scan(root), has_timers(root))


@functools.lru_cache(maxsize=64)
def _uploaded(key: str, sha256: str, bpmn: str) -> Loaded:
    root = parse_xml(bpmn)
    spec = _parse(root, key)
    return Loaded(key, getattr(spec, "description", "") or key, spec, scan(root), has_timers(root))


def load(key: str) -> tuple[Loaded, bool]:
    """The process named ``key`` and whether its scripts may run; refuses unapproved uploads."""
    if key in SHIPPED_KEYS:
        return _shipped(key), True
    from zhengtong.services.workflow.models import ProcessDefinition

    definition = ProcessDefinition.objects.filter(key=key).first()
    if definition is None:
        raise DefinitionError(_("未知的审批流程：%(key)s") % {"key": key})
    if not definition.runnable:
        raise DefinitionError(_("流程 %(key)s 含有脚本，须经系统管理员批准后才能使用") % {"key": key})
    return _uploaded(key, definition.sha256, definition.bpmn), definition.has_scripts


def inspect_upload(key: str, bpmn: str) -> tuple[Loaded, str]:
    """Parse and check an uploaded process; returns it and its SHA-256."""
    root = parse_xml(bpmn)
    has_scripts = scan(root)
    spec = _parse(root, key)
    loaded = Loaded(key, getattr(spec, "description", "") or key, spec, has_scripts, has_timers(root))
    return loaded, hashlib.sha256(bpmn.encode()).hexdigest()


# --- running workflows --------------------------------------------------------------------


def new_workflow(key: str, data: dict) -> tuple[BpmnWorkflow, bool]:
    loaded, allow_scripts = load(key)
    workflow = BpmnWorkflow(loaded.spec, script_engine=script_engine(allow_scripts=allow_scripts))
    workflow.data.update(data)
    for task in workflow.get_tasks():
        task.data.update(data)
    return workflow, allow_scripts


def dump(workflow: BpmnWorkflow) -> str:
    """The workflow as JSON text (the serialiser's own format, version included).

    Kept as one JSON string, not a JSON object: PostgreSQL's jsonb reorders object keys,
    and the serialiser rebuilds the task tree in the order it wrote it."""
    SERIALIZER.registry._encoder_mode = True
    try:
        state = SERIALIZER.to_dict(workflow)
    finally:
        SERIALIZER.registry._encoder_mode = False
    state[SERIALIZER.VERSION_KEY] = SERIALIZER.VERSION
    return json.dumps(state, ensure_ascii=False)


def restore(state: str | dict, *, allow_scripts: bool) -> BpmnWorkflow:
    state = json.loads(state) if isinstance(state, str) else dict(state)
    SERIALIZER.migrate(state)
    workflow = SERIALIZER.from_dict(state)
    workflow.script_engine = script_engine(allow_scripts=allow_scripts)
    return workflow
