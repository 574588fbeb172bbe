"""What supervision registers with the spine, and the small registry of rated case types.

Owning apps name the case types that invite a 好差评 rating when they finish::

    from zhengtong.supervision.registry import register_rated_case_type
    register_rated_case_type("mailbox.letter")

(``services.application`` is registered by string in ``SupervisionConfig.ready()`` so that
supervision never imports services.)
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhengtong.core.permissions.registry import register_action, register_builtin_role
from zhengtong.core.timelimits.registry import register_case_type

RATED_CASE_TYPES: set[str] = set()

MONITOR = "supervision.monitor.view"
URGE = "supervision.urge"
CORRECT = "supervision.correct"
ACCOUNTABILITY = "supervision.accountability"
REPLY = "supervision.reply"
FOLLOW_UP = "supervision.followup"
APPEAL_DECIDE = "supervision.appeal.decide"
WEIGHTS = "supervision.weights.manage"
SCORECARD = "supervision.scorecard.view"

URGE_CASE = "supervision.urge"
CORRECTION_CASE = "supervision.correction"
ACCOUNTABILITY_CASE = "supervision.accountability"
FOLLOW_UP_CASE = "supervision.followup"


def register_rated_case_type(code: str) -> None:
    RATED_CASE_TYPES.add(code)


def is_rated(code: str) -> bool:
    return code in RATED_CASE_TYPES


def register_all() -> None:
    register_action(MONITOR, _("电子监察：查看时限监控"))
    register_action(URGE, _("电子监察：督办"))
    register_action(CORRECT, _("电子监察：纠错"))
    register_action(ACCOUNTABILITY, _("电子监察：问责"))
    register_action(REPLY, _("电子监察：答复督办纠错"))
    register_action(FOLLOW_UP, _("电子监察：差评回访整改与申诉"))
    register_action(APPEAL_DECIDE, _("电子监察：审核差评申诉"))
    register_action(WEIGHTS, _("电子监察：维护考核权重"))
    register_action(SCORECARD, _("电子监察：查看部门考核"))
    register_builtin_role("supervisor", "监察人员", (
        MONITOR, URGE, CORRECT, ACCOUNTABILITY, APPEAL_DECIDE, WEIGHTS, SCORECARD))
    register_builtin_role("dept_head", "部门负责人", (MONITOR, REPLY, FOLLOW_UP, SCORECARD))
    register_case_type(URGE_CASE, _("督办答复"), default_limit_days=3, yellow_days=1)
    register_case_type(CORRECTION_CASE, _("纠错整改"), default_limit_days=10, yellow_days=2)
    register_case_type(ACCOUNTABILITY_CASE, _("问责落实"), default_limit_days=10, yellow_days=2)
    register_case_type(FOLLOW_UP_CASE, _("差评整改"), default_limit_days=5, yellow_days=1)
    register_rated_case_type("services.application")

# Who may open the directive and follow-up pages (each page checks the object's department too).
DIRECTIVE_VIEWERS = (URGE, CORRECT, ACCOUNTABILITY, REPLY)
FOLLOW_UP_VIEWERS = (FOLLOW_UP, APPEAL_DECIDE)
