"""Billing's permission actions and the built-in roles that hold them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhengtong.core.permissions.registry import register_action, register_builtin_role

BILL_VIEW = "billing.bill.view"
BILL_REFUND = "billing.bill.refund"
LICENCE_VIEW = "billing.licence.view"
LICENCE_DELIVER = "billing.licence.deliver"
LICENCE_REVOKE = "billing.licence.revoke"

register_action(BILL_VIEW, _("查看收费单"))
register_action(BILL_REFUND, _("办理退费（原路退回）"))
register_action(LICENCE_VIEW, _("查看电子证照"))
register_action(LICENCE_DELIVER, _("证照送达登记"))
register_action(LICENCE_REVOKE, _("注销/撤销电子证照"))

# Refunds are money handled at the window: the clerks who register hand-overs and their head,
# not the approvers (who decide cases) nor the supervisors (who watch them).
register_builtin_role("clerk", "窗口人员", (BILL_VIEW, BILL_REFUND, LICENCE_VIEW, LICENCE_DELIVER))
# Revoking a licence undoes a decision: the department's approvers and head, who make decisions.
register_builtin_role("approver", "审批人员", (BILL_VIEW, LICENCE_VIEW, LICENCE_REVOKE))
register_builtin_role("dept_head", "部门负责人", (BILL_VIEW, BILL_REFUND, LICENCE_VIEW, LICENCE_DELIVER,
                                                  LICENCE_REVOKE))
register_builtin_role("supervisor", "监察人员", (BILL_VIEW, LICENCE_VIEW))
