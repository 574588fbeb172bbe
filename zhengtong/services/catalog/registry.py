"""Registries other apps extend: approval process keys an item may name (the workflow app
adds its processes here), and the catalog's permission actions."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from zhengtong.core.permissions.registry import register_action, register_builtin_role

# Process keys an ItemVersion.process_key may take. The workflow app ships BPMN processes
# under these keys and may add more with ``PROCESS_KEYS.add("...")``.
PROCESS_KEYS: set[str] = {"simple", "countersign", "parallel"}

# The shipped processes' labels are translated when shown; an uploaded process adds the name
# its uploader typed, shown as written.
PROCESS_LABELS: dict[str, str | Promise] = {
    "simple": _("一般审批（受理—审查—决定）"),
    "countersign": _("会签审批"),
    "parallel": _("并联审批"),
}

MANAGE = "catalog.item.manage"
# Life events are one city-wide list, so the action only counts with a city-wide grant
# (see actions.require_citywide); bundles are scoped by their lead department.
TOPIC = "catalog.topic.manage"
BUNDLE = "catalog.bundle.manage"

CATALOG_ADMIN = "catalog_admin"


def register_permissions() -> None:
    register_action(MANAGE, _("维护政务服务事项"))
    register_action(TOPIC, _("维护主题"))
    register_action(BUNDLE, _("维护“一件事”"))
    register_builtin_role("dept_head", "部门负责人", (MANAGE,))
    register_builtin_role(
        CATALOG_ADMIN, gettext_noop("事项目录管理员"), (MANAGE, TOPIC, BUNDLE),
        description=gettext_noop("政务服务管理机构（政务服务中心、行政审批局）维护事项、主题和“一件事”；主题须按全市范围授权"))


def process_label(key: str) -> str:
    """The process's label in the reader's language (an uploaded process's name as typed)."""
    return str(PROCESS_LABELS.get(key, key))


def process_keys() -> set[str]:
    """The keys an item may name now: the shipped processes and every runnable upload (read
    from the database, so an approval made in another worker counts at once)."""
    keys = set(PROCESS_KEYS)
    try:
        from zhengtong.services.workflow.models import ProcessDefinition
    except ImportError:  # pragma: no cover — the engine is optional for the catalog
        return keys
    for definition in ProcessDefinition.objects.only("key", "name", "has_scripts", "approved_at"):
        if definition.runnable:
            keys.add(definition.key)
            PROCESS_LABELS.setdefault(definition.key, definition.name)
    return keys
