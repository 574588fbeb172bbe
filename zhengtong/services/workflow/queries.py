"""Scoped reads: who may do a task, the staff inbox by tab, access to one task."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from zhengtong.core.calendar import days
from zhengtong.core.permissions.checks import has_perm, holds_role, role_codes, scope_q
from zhengtong.core.permissions.models import Grant, Scope
from zhengtong.services.workflow.models import TaskStatus, WorkTask
from zhengtong.services.workflow.registry import COMPLETE  # noqa: E402

TABS = {"pending": _lazy("待办"), "mine": _lazy("我的"), "due_soon": _lazy("即将到期"), "overdue": _lazy("已超期"),
        "done": _lazy("已办")}
DUE_SOON_WORKING_DAYS = 2


def is_eligible(user, task: WorkTask) -> bool:
    """May ``user`` act on ``task``: the action within the task's department and the task's role."""
    return has_perm(user, COMPLETE, department=task.department) and holds_role(user, task.role_code)


def require_eligible(user, task: WorkTask) -> None:
    if not is_eligible(user, task):
        raise PermissionDenied(_("您不能办理“%(task)s”：该任务属于%(dept)s的%(role)s")
                               % {"task": task.label, "dept": task.department.name, "role": task.role_code})


def eligible_users(department, role_code: str) -> list:
    """Active staff holding ``role_code`` with a grant that covers ``department``."""
    grants = (Grant.objects.active().filter(role__code=role_code, user__is_active=True)
              .filter(Q(scope=Scope.CITY) | Q(scope=Scope.DEPARTMENT, department=department)
                      | Q(scope=Scope.SUBTREE, department__path__in=_ancestor_paths(department.path))
                      | Q(scope=Scope.REGION, region__path__in=_ancestor_paths(department.region.path)))
              .select_related("user", "role"))
    return list({g.user.pk: g.user for g in grants if COMPLETE in g.role.actions}.values())


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


def visible_tasks(user) -> QuerySet[WorkTask]:
    """Tasks in the user's scope for roles the user holds."""
    return (WorkTask.objects.filter(scope_q(user, COMPLETE)).filter(role_code__in=role_codes(user))
            .select_related("application__item_version__item", "department", "assignee"))


def inbox(user, tab: str, today: date | None = None) -> QuerySet[WorkTask]:
    today = today or timezone.localdate()
    tasks = visible_tasks(user)
    open_tasks = tasks.filter(status=TaskStatus.OPEN)
    if tab == "mine":
        return open_tasks.filter(assignee=user)
    if tab == "due_soon":
        limit = days.add_working_days(today, DUE_SOON_WORKING_DAYS)
        return open_tasks.filter(due_date__gte=today, due_date__lte=limit).filter(Q(assignee=user) |
                                                                                Q(assignee__isnull=True))
    if tab == "overdue":
        return open_tasks.filter(due_date__lt=today)
    if tab == "done":
        return tasks.filter(status=TaskStatus.DONE, completed_by=user).order_by("-completed_at")
    return open_tasks.filter(Q(assignee=user) | Q(assignee__isnull=True))


def counts(user, today: date | None = None) -> dict[str, int]:
    return {tab: inbox(user, tab, today).count() for tab in TABS if tab != "done"}


def colour(task: WorkTask, today: date | None = None) -> str:
    """green / yellow / red for the row, from the task's own due date."""
    today = today or timezone.localdate()
    if task.status != TaskStatus.OPEN:
        return "done"
    if task.due_date < today:
        return "red"
    if task.due_date <= days.add_working_days(today, DUE_SOON_WORKING_DAYS):
        return "yellow"
    return "green"


def access_task_by_id(user, task_id: int) -> WorkTask:
    """One task the user may see: 404 when missing, 403 when outside the user's scope."""
    task = (WorkTask.objects.select_related("application__item_version__item", "application__department",
                                            "department", "assignee", "completed_by", "instance")
            .filter(pk=task_id).first())
    if task is None:
        raise Http404(_("审批任务不存在"))
    if not has_perm(user, COMPLETE, department=task.department):
        raise PermissionDenied(_("该审批任务不在您的数据范围内"))
    return task


def history(application) -> QuerySet[WorkTask]:
    return (WorkTask.objects.filter(application=application).select_related("department", "completed_by")
            .order_by("opened_at", "id"))
