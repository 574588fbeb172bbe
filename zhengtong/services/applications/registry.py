"""What the applications app registers with the spine: actions, role grants, case types."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhengtong.core.permissions.registry import register_action, register_builtin_role
from zhengtong.core.timelimits.registry import register_case_type

ACCEPT = "applications.accept"
INTAKE = "applications.window.intake"
APPROVE_SUPPLEMENT = "applications.supplement.approve"
VIEW = "applications.view"
SPECIAL_STEP = "applications.special_step"

ACCEPTANCE_CASE = "services.acceptance"
PROCESSING_CASE = "services.application"

register_action(ACCEPT, _("受理办件（受理、不予受理、补正告知、特殊环节）"))
register_action(INTAKE, _("窗口收件（一窗受理）"))
register_action(APPROVE_SUPPLEMENT, _("批准再次补正告知"))
register_action(VIEW, _("查看办件"))
register_action(SPECIAL_STEP, _("记录特殊环节（听证、现场核查、专家评审等）"))

register_builtin_role("clerk", "窗口人员", (ACCEPT, INTAKE, VIEW, SPECIAL_STEP))
register_builtin_role("approver", "审批人员", (VIEW, SPECIAL_STEP))
register_builtin_role("dept_head", "部门负责人", (APPROVE_SUPPLEMENT, VIEW, SPECIAL_STEP))
# A second supplement request needs a supervisory approval: the department head or a
# supervisor (监察人员) whose scope reaches the case may give it (see supplements.py).
register_builtin_role("supervisor", "监察人员", (VIEW, APPROVE_SUPPLEMENT))

register_case_type(ACCEPTANCE_CASE, _("办件受理"), default_limit_days=5)
register_case_type(PROCESSING_CASE, _("办件办理"), default_limit_days=20)
