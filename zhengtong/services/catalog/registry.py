"""Registries other apps extend: approval process keys an item may name (the workflow app
adds its processes here), and the catalog's permission action."""

from __future__ import annotations

from zhengtong.core.permissions.registry import register_action, register_builtin_role

# Process keys an ItemVersion.process_key may take. The workflow app ships BPMN processes
# under these keys and may add more with ``PROCESS_KEYS.add("...")``.
PROCESS_KEYS: set[str] = {"simple", "countersign", "parallel"}

PROCESS_LABELS: dict[str, str] = {
    "simple": "一般审批（受理—审查—决定）",
    "countersign": "会签审批",
    "parallel": "并联审批",
}

MANAGE = "catalog.item.manage"


def register_permissions() -> None:
    register_action(MANAGE, "维护政务服务事项")
    register_builtin_role("dept_head", "部门负责人", (MANAGE,))


def process_label(key: str) -> str:
    return PROCESS_LABELS.get(key, key)
