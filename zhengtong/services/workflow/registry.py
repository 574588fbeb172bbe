"""What the workflow app adds to the spine's registries: permission actions, roles, the
time-limited case type of a review task, and its process keys for the catalog."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhengtong.core.permissions.registry import (
    BUILTIN_ROLES,
    AdminGroup,
    register_action,
    register_builtin_role,
)
from zhengtong.core.timelimits.registry import register_case_type

COMPLETE = "workflow.task.complete"
MANAGE = "workflow.process.manage"
APPROVE = "workflow.process.approve"


def register() -> None:
    register_action(COMPLETE, _("办理审批任务"))
    register_action(MANAGE, _("维护审批流程和流程配置"), admin_group=AdminGroup.SYSTEM)
    register_action(APPROVE, _("批准含脚本的审批流程"), admin_group=AdminGroup.SYSTEM)
    register_builtin_role("approver", "审批人员", (COMPLETE,))
    register_builtin_role("dept_head", "部门负责人", (COMPLETE,))
    sysadmin = BUILTIN_ROLES["sysadmin"]
    register_builtin_role("sysadmin", sysadmin.name, (MANAGE, APPROVE), admin_group=sysadmin.admin_group,
                          description=sysadmin.description)
    register_case_type("services.review_task", _("审批环节"), default_limit_days=3, yellow_days=1,
                       description=_("审批流程中的一个环节（审查、会签、并联审批、决定），各有时限"))
    try:
        from zhengtong.services.catalog.registry import PROCESS_KEYS, PROCESS_LABELS
    except ImportError:  # pragma: no cover
        return
    from zhengtong.services.workflow.definitions import SHIPPED_KEYS

    PROCESS_KEYS.update(SHIPPED_KEYS)
    PROCESS_LABELS.setdefault("countersign", _("会签审批（审查—会签—决定）"))
