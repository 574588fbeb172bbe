"""Billing's permission actions and the built-in roles that hold them."""

from __future__ import annotations

from zhengtong.core.permissions.registry import register_action, register_builtin_role

register_action("billing.bill.view", "查看收费单")
register_action("billing.licence.view", "查看电子证照")
register_action("billing.licence.deliver", "证照送达登记")

register_builtin_role("clerk", "窗口人员", ("billing.bill.view", "billing.licence.view", "billing.licence.deliver"))
register_builtin_role("approver", "审批人员", ("billing.bill.view", "billing.licence.view"))
register_builtin_role("dept_head", "部门负责人", ("billing.bill.view", "billing.licence.view",
                                                  "billing.licence.deliver"))
register_builtin_role("supervisor", "监察人员", ("billing.bill.view", "billing.licence.view"))
