"""Process definitions: the BPMN shipped with the code, uploaded ones, and the SpiffWorkflow
glue (parse, create, serialise, restore) with the sandboxed script engine.

Only two kinds of process may run: those in ``processes/*.bpmn`` (reviewed with the code)
and uploaded ones stored in ``ProcessDefinition`` that either contain no scripts or were
approved by a system administrator. An upload is checked before it is stored: only the BPMN
elements the engine can run (``SUPPORTED``), every expression and script against the
sandbox's allow-list, and the task properties the router reads (``check_steps``). A stored
upload runs only while its text still matches the SHA-256 taken at upload.
"""

from __future__ import annotations

import functools
import hashlib
import json
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
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
# Script texts: checked against the sandbox's script allow-list at upload (they run only once approved).
SCRIPT_TEXT_TAGS = {"script", "preScript", "postScript"}

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
# The BPMN elements the engine runs. The engine projects ready user and manual tasks as work
# tasks and never closes one that SpiffWorkflow cancels, so anything that cancels or waits on
# something outside the process (messages, signals, errors, terminate, interrupting boundary
# events, sub-processes and call activities, service calls) is refused at upload. Elements of
# other namespaces (diagram layout, other modellers' extensions) are ignored.
SUPPORTED = {
    BPMN_NS: {"definitions", "process", "collaboration", "participant", "laneSet", "lane", "childLaneSet",
              "flowNodeRef", "documentation", "extensionElements", "textAnnotation", "text", "association",
              "group", "category", "categoryValue", "startEvent", "endEvent", "userTask", "manualTask", "task",
              "scriptTask", "script", "exclusiveGateway", "parallelGateway", "inclusiveGateway", "sequenceFlow",
              "conditionExpression", "incoming", "outgoing", "intermediateCatchEvent", "boundaryEvent",
              "timerEventDefinition", "timeDate", "timeDuration", "timeCycle"},
    SPIFF_NS: {"properties", "property", "preScript", "postScript", "instructionsForEndUser"},
}
_WHY_UNSUPPORTED = {
    "serviceTask": gettext_lazy("流程不能调用外部服务"), "businessRuleTask": gettext_lazy("不支持决策表"),
    "subProcess": gettext_lazy("不支持子流程，请把环节直接画在流程中"), "callActivity": gettext_lazy("不支持调用其他流程"),
    "transaction": gettext_lazy("不支持事务子流程"), "adHocSubProcess": gettext_lazy("不支持自由子流程"),
    "sendTask": gettext_lazy("不支持消息"), "receiveTask": gettext_lazy("不支持消息"),
    "messageEventDefinition": gettext_lazy("不支持消息事件"), "signalEventDefinition": gettext_lazy("不支持信号事件"),
    "errorEventDefinition": gettext_lazy("不支持错误事件"), "escalationEventDefinition": gettext_lazy("不支持升级事件"),
    "terminateEventDefinition": gettext_lazy("不支持终止结束事件"),
    "multiInstanceLoopCharacteristics": gettext_lazy("不支持多实例环节，请用流程配置中的并联分支"),
    "standardLoopCharacteristics": gettext_lazy("不支持循环环节，请用网关连线表示退回"),
}


class DefinitionError(ValueError):
    """A process cannot be loaded or an upload is refused; the message is for the user."""


@dataclass(frozen=True)
class Loaded:
    key: str
    name: str
    spec: Any
    has_scripts: bool
    has_timers: bool = False


class _SpecByReference(BpmnWorkflowConverter):
    """A running workflow without its process spec: the state names the spec by its digest and the
    spec itself is stored once (``ProcessSpec``), so each step neither rebuilds nor rewrites it.

    A state written before this (with the spec inline) restores as the serialiser wrote it."""

    def to_dict(self, workflow: BpmnWorkflow) -> dict:
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["spec"] = _reference(workflow.spec)
        dct["subprocess_specs"] = self.mapping_to_dict(workflow.subprocess_specs)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict) -> BpmnWorkflow:
        if "typename" not in dct["spec"]:
            dct["spec"] = _spec_by_reference(dct["spec"])  # an object: the registry passes it through
        return super().from_dict(dct)


SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure({**SPIFF_CONFIG, BpmnWorkflow: _SpecByReference}))

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


def check_supported(root: etree._Element) -> None:
    """Refuse an element the engine cannot run, naming it and its line."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        qname = etree.QName(element.tag)
        if qname.namespace not in SUPPORTED:
            continue
        name = qname.localname
        why = ""
        if name not in SUPPORTED[qname.namespace]:
            why = _WHY_UNSUPPORTED.get(name, _("平台只支持用户任务、人工任务、脚本任务、网关、定时事件和开始/结束事件"))
        elif name == "boundaryEvent" and element.get("cancelActivity", "true") != "false":
            why = _("只支持不中断的边界定时事件（cancelActivity=\"false\"）：中断会留下无法办理的任务")
        elif name == "timerEventDefinition" and _local(element.getparent().tag) == "startEvent":
            why = _("开始事件不能带定时器：流程在受理时启动")
        if why:
            where = element.get("id") or element.getparent().get("id") or "—"
            raise DefinitionError(_("BPMN 中有平台不支持的元素 %(element)s（%(id)s，第 %(line)s 行）：%(why)s")
                                  % {"element": name, "id": where, "line": element.sourceline or "?", "why": why})


def scan(root: etree._Element) -> bool:
    """Check every expression and script against the allow-list; return whether the process has scripts."""
    has_scripts = False
    for element in root.iter():
        name = _local(element.tag)
        if name in SCRIPT_TAGS:
            has_scripts = True
        if name in SCRIPT_TEXT_TAGS and (element.text or "").strip():
            try:
                check(element.text.strip(), script=True)
            except UnsafeExpression as exc:
                raise DefinitionError(_("流程脚本不安全：%(expr)s（%(error)s）")
                                      % {"expr": element.text.strip()[:80], "error": exc}) from None
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
    except DefinitionError:
        raise
    except (ValidationException, SpiffWorkflowException) as exc:
        raise DefinitionError(_("BPMN 无法解析：%(error)s") % {"error": str(exc)[:300]}) from None
    except Exception as exc:  # noqa: BLE001 — the parser's own crash on untrusted input is a refusal
        raise DefinitionError(_("BPMN 无法解析：%(error)s") % {"error": f"{type(exc).__name__}: {exc}"[:300]}) \
            from None


@functools.cache
def _shipped(key: str) -> Loaded:
    root = etree.parse(str(PROCESS_DIR / f"{key}.bpmn")).getroot()
    spec = _parse(root, key)
    return Loaded(key, getattr(spec, "description", "") or key, spec, scan(root), has_timers(root))


def sha256_of(bpmn: str) -> str:
    return hashlib.sha256(bpmn.encode()).hexdigest()


@functools.lru_cache(maxsize=64)
def _uploaded(key: str, sha256: str, bpmn: str) -> Loaded:
    if sha256_of(bpmn) != sha256:  # edited behind the platform's back: what was approved no longer runs
        raise DefinitionError(_("流程 %(key)s 的内容与上传时的摘要不一致，已停止使用") % {"key": key})
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


def inspect_upload(key: str, bpmn: str) -> tuple[Loaded, str, Description]:
    """Parse and check an uploaded process; returns it, its SHA-256 and its readable description."""
    root = parse_xml(bpmn)
    check_supported(root)
    has_scripts = scan(root)
    spec = _parse(root, key)
    description = describe(root, key)
    check_steps(description)
    loaded = Loaded(key, getattr(spec, "description", "") or key, spec, has_scripts, has_timers(root))
    return loaded, sha256_of(bpmn), description


def decode_upload(filename: str, raw: bytes) -> str:
    """The text of an uploaded BPMN file: ``.bpmn`` or ``.xml``, at most 512 KB, UTF-8."""
    if not filename.lower().endswith((".bpmn", ".xml")):
        raise DefinitionError(_("请上传 .bpmn 或 .xml 文件"))
    if len(raw) > MAX_BPMN_BYTES:
        raise DefinitionError(_("BPMN 文件过大（上限 512 KB）"))
    if not raw.strip():
        raise DefinitionError(_("BPMN 文件是空的"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DefinitionError(_("BPMN 文件须为 UTF-8 编码")) from None


# --- a process as people read it ------------------------------------------------------------

KIND_LABELS = {
    # 开始 and 结束 are also a case's started / finished elsewhere: here they name BPMN events.
    "startEvent": pgettext_lazy("bpmn", "开始"), "endEvent": pgettext_lazy("bpmn", "结束"),
    "userTask": gettext_lazy("审批任务"), "manualTask": gettext_lazy("人工任务"), "task": gettext_lazy("空任务"),
    "scriptTask": gettext_lazy("脚本任务"), "exclusiveGateway": gettext_lazy("排他网关"),
    "parallelGateway": gettext_lazy("并行网关"), "inclusiveGateway": gettext_lazy("包容网关"),
    "intermediateCatchEvent": gettext_lazy("中间事件"), "boundaryEvent": gettext_lazy("边界事件"),
}
HUMAN_TASKS = {"userTask", "manualTask"}
_NOT_NODES = {"sequenceFlow", "laneSet", "extensionElements", "documentation", "textAnnotation", "association",
              "group", "dataObject", "dataObjectReference", "ioSpecification", "property"}


@dataclass(frozen=True)
class Step:
    """One flow node: what it is, where it goes, and the properties the router reads."""

    id: str
    name: str
    kind: str
    lane: str
    properties: dict[str, str]
    next: tuple[tuple[str, str, str, bool], ...]  # (target id, target name, condition, gateway default)
    scripts: tuple[tuple[str, str], ...]  # (where, source)
    timer: str

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def is_human(self) -> bool:
        return self.kind in HUMAN_TASKS

    @property
    def role(self) -> str:
        return self.properties.get("role", "approver") if self.is_human else ""

    @property
    def slot(self) -> int | None:
        return _as_int(self.properties.get("slot"))

    @property
    def limit_days(self) -> int | None:
        return _as_int(self.properties.get("limit_days")) if self.is_human else None

    @property
    def decision(self) -> bool:
        return self.properties.get("decision") == "true"


@dataclass(frozen=True)
class Description:
    key: str
    name: str
    steps: tuple[Step, ...]
    lanes: tuple[tuple[str, tuple[str, ...]], ...]  # (lane name, names of its steps)
    has_scripts: bool
    has_timers: bool

    @property
    def slots(self) -> list[tuple[int, list[Step]]]:
        """Configurable positions (countersign steps, parallel branches) in slot order."""
        found: dict[int, list[Step]] = {}
        for step in self.steps:
            if step.is_human and step.slot is not None:
                found.setdefault(step.slot, []).append(step)
        return sorted(found.items())

    @property
    def slot_count(self) -> int:
        return len(self.slots)

    @property
    def scripts(self) -> list[tuple[Step, str, str]]:
        return [(step, where, source) for step in self.steps for where, source in step.scripts]


def _as_int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _text(element: etree._Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in element if _local(c.tag) == name]


def _properties_of(element: etree._Element) -> dict[str, str]:
    return {p.get("name", ""): p.get("value", "") for p in element.iter(f"{{{SPIFF_NS}}}property")}


def _scripts_of(element: etree._Element) -> tuple[tuple[str, str], ...]:
    where = {"script": _("脚本"), "preScript": _("前置脚本"), "postScript": _("后置脚本")}
    return tuple((where[_local(e.tag)], _text(e)) for e in element.iter()
                 if _local(e.tag) in SCRIPT_TEXT_TAGS and _text(e))


def _timer_of(element: etree._Element) -> str:
    for timer in element.iter(f"{{{BPMN_NS}}}timerEventDefinition"):
        return "；".join(f"{_local(c.tag)}: {_text(c)}" for c in timer if isinstance(c.tag, str))
    return ""


def _lanes(process: etree._Element) -> tuple[dict[str, str], list[tuple[str, list[str]]]]:
    """Node id → innermost lane name, and the lanes in document order."""
    of: dict[str, str] = {}
    lanes: list[tuple[str, list[str]]] = []
    for lane in process.iter(f"{{{BPMN_NS}}}lane"):
        refs = [_text(r) for r in _children(lane, "flowNodeRef")]
        name = lane.get("name") or lane.get("id") or ""
        lanes.append((name, refs))
        for ref in refs:
            of[ref] = name  # nested lanes come later in document order, so the innermost wins
    return of, lanes


def _order(nodes: dict[str, etree._Element], flows: list[etree._Element]) -> list[str]:
    """Node ids in the order a reader follows them: by the longest path from a start event,
    loops (退回) ignored; nodes on the same level and unreachable ones in document order."""
    after: dict[str, list[str]] = {}
    for flow in flows:
        if flow.get("sourceRef") in nodes and flow.get("targetRef") in nodes:
            after.setdefault(flow.get("sourceRef", ""), []).append(flow.get("targetRef", ""))
    for node_id, node in nodes.items():  # a boundary event leads on from the task it sits on
        if _local(node.tag) == "boundaryEvent" and node.get("attachedToRef") in nodes:
            after.setdefault(node.get("attachedToRef", ""), []).append(node_id)
    starts = [i for i, n in nodes.items() if _local(n.tag) == "startEvent"]
    forward: dict[str, list[str]] = {}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in starts:  # depth-first, iteratively: an edge back onto the current path is a loop
        stack = [(start, iter(after.get(start, [])))]
        state[start] = 1
        while stack:
            node_id, targets = stack[-1]
            target = next(targets, None)
            if target is None:
                state[node_id] = 2
                stack.pop()
            elif state.get(target) != 1:
                forward.setdefault(node_id, []).append(target)
                if target not in state:
                    state[target] = 1
                    stack.append((target, iter(after.get(target, []))))
    level = {i: 0 for i in starts}
    incoming = {i: 0 for i in nodes}
    for targets in forward.values():
        for target in targets:
            incoming[target] += 1
    ready = [i for i in starts if incoming[i] == 0]
    while ready:
        node_id = ready.pop()
        for target in forward.get(node_id, []):
            level[target] = max(level.get(target, 0), level[node_id] + 1)
            incoming[target] -= 1
            if incoming[target] == 0:
                ready.append(target)
    position = {i: n for n, i in enumerate(nodes)}
    ordered = sorted(level, key=lambda i: (level[i], position[i])) + [i for i in nodes if i not in level]
    hosts = {i: n.get("attachedToRef") for i, n in nodes.items()
             if _local(n.tag) == "boundaryEvent" and n.get("attachedToRef") in nodes}
    for boundary, host in hosts.items():  # a boundary event is read right after the task it sits on
        ordered.remove(boundary)
        at = ordered.index(host) + 1
        while at < len(ordered) and hosts.get(ordered[at]) == host:
            at += 1
        ordered.insert(at, boundary)
    return ordered


def describe(root: etree._Element, key: str) -> Description:
    """The process ``key`` of a parsed BPMN document as a list of steps, lanes and scripts."""
    process = next((p for p in root.iter(f"{{{BPMN_NS}}}process") if p.get("id") == key), None)
    if process is None:
        raise DefinitionError(_("BPMN 中没有编码为 %(key)s 的流程") % {"key": key})
    nodes = {c.get("id", ""): c for c in process if isinstance(c.tag, str) and _local(c.tag) not in _NOT_NODES}
    flows = _children(process, "sequenceFlow")
    lane_of, lanes = _lanes(process)

    def name(node_id: str) -> str:
        node = nodes.get(node_id)
        return (node.get("name") or node_id) if node is not None else node_id

    steps = []
    for node_id in _order(nodes, flows):
        node = nodes[node_id]
        default = node.get("default", "")
        outgoing = tuple((f.get("targetRef", ""), name(f.get("targetRef", "")), _text(_children(f, "conditionExpression")[0])
                          if _children(f, "conditionExpression") else "", f.get("id") == default)
                         for f in flows if f.get("sourceRef") == node_id)
        steps.append(Step(node_id, node.get("name") or "", _local(node.tag), lane_of.get(node_id, ""),
                          _properties_of(node), outgoing, _scripts_of(node), _timer_of(node)))
    lane_rows = tuple((lane, tuple(name(r) for r in refs)) for lane, refs in lanes)
    return Description(key, process.get("name") or key, tuple(steps), lane_rows, scan(root), has_timers(root))


def check_steps(description: Description) -> None:
    """Refuse task properties the router cannot use (roles are checked against the database by the caller)."""
    problems: list[str] = []
    for step in description.steps:
        if not step.is_human:
            continue
        props, label = step.properties, step.name or step.id
        if "slot" in props and (step.slot is None or step.slot < 0):
            problems.append(_("“%(task)s”的 slot 须为非负整数") % {"task": label})
        if "limit_days" in props and not (step.limit_days and 1 <= step.limit_days <= 60):
            problems.append(_("“%(task)s”的 limit_days 须为 1–60 的整数") % {"task": label})
        if props.get("decision", "false") not in ("true", "false"):
            problems.append(_("“%(task)s”的 decision 只能是 true 或 false") % {"task": label})
    numbers = [n for n, _steps in description.slots]
    if numbers != list(range(len(numbers))):
        problems.append(_("slot 须从 0 开始连续编号（现为 %(slots)s）") % {"slots": "、".join(map(str, numbers))})
    if not any(step.is_human and step.decision for step in description.steps):
        problems.append(_("流程中没有决定环节（decision=true 的用户任务），办件将无法办结"))
    if problems:
        raise DefinitionError(_("流程环节设置有误：%(problems)s") % {"problems": "；".join(problems)})


def source(key: str) -> str:
    """The BPMN text of a shipped or uploaded process (any status)."""
    if key in SHIPPED_KEYS:
        return (PROCESS_DIR / f"{key}.bpmn").read_text(encoding="utf-8")
    from zhengtong.services.workflow.models import ProcessDefinition

    definition = ProcessDefinition.objects.filter(key=key).first()
    if definition is None:
        raise DefinitionError(_("未知的审批流程：%(key)s") % {"key": key})
    return definition.bpmn


@functools.lru_cache(maxsize=64)
def _described(key: str, sha256: str, bpmn: str) -> Description:
    return describe(parse_xml(bpmn), key)


def description_of(key: str, bpmn: str | None = None) -> Description:
    """The readable description of a shipped or stored process (any status)."""
    bpmn = source(key) if bpmn is None else bpmn
    return _described(key, sha256_of(bpmn), bpmn)


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
    if state.get(SERIALIZER.VERSION_KEY) != SERIALIZER.VERSION and "typename" not in state["spec"]:
        # written by an older serialiser: put the spec back inline so its migrations see all of it
        state["spec"] = json.loads(_stored_spec(state["spec"]))
    SERIALIZER.migrate(state)
    workflow = SERIALIZER.from_dict(state)
    workflow.script_engine = script_engine(allow_scripts=allow_scripts)
    return workflow


# --- process specs, stored once and named by digest --------------------------------------------

_DIGESTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # spec object → (digest, JSON text)
_SPECS: dict[str, Any] = {}  # digest → the spec object restores use
_WRITTEN: set[str] = set()  # digests this process has seen committed


def _reference(spec: Any) -> dict:
    """``{"sha256", "key"}`` naming ``spec``; stores the spec (once) in the current transaction."""
    known = _DIGESTS.get(spec)
    if known is None:
        text = json.dumps(SERIALIZER.registry.convert(spec), ensure_ascii=False)
        digest = hashlib.sha256(f"{SERIALIZER.VERSION}\n{text}".encode()).hexdigest()
        known = _DIGESTS[spec] = (digest, text)
        _SPECS.setdefault(digest, spec)
    digest, text = known
    if digest not in _WRITTEN:
        from zhengtong.services.workflow.models import ProcessSpec

        ProcessSpec.objects.bulk_create([ProcessSpec(sha256=digest, process_key=spec.name, spec=text,
                                                     serializer_version=SERIALIZER.VERSION)], ignore_conflicts=True)
        transaction.on_commit(functools.partial(_WRITTEN.add, digest))
    return {"sha256": digest, "key": spec.name}


def _stored_spec(reference: dict) -> str:
    from zhengtong.services.workflow.models import ProcessSpec

    text = ProcessSpec.objects.filter(sha256=reference["sha256"]).values_list("spec", flat=True).first()
    if text is None:
        raise DefinitionError(_("流程 %(key)s 的版本 %(digest)s 已不存在，办件无法继续办理")
                              % {"key": reference.get("key", "?"), "digest": reference["sha256"][:12]})
    return text


def _spec_by_reference(reference: dict) -> Any:
    spec = _SPECS.get(reference["sha256"])
    if spec is None:
        text = _stored_spec(reference)
        spec = SERIALIZER.registry.restore(json.loads(text))
        _DIGESTS[spec] = (reference["sha256"], text)
        spec = _SPECS.setdefault(reference["sha256"], spec)
    return spec


def forget_specs() -> None:
    """Drop every spec held in memory (parsed shipped processes included): the next restore reads
    the stored spec, as a fresh process would."""
    _shipped.cache_clear()
    _uploaded.cache_clear()
    _DIGESTS.clear()
    _SPECS.clear()
    _WRITTEN.clear()
