"""Scoped reads: who may do a task, the staff inbox by tab, access to one task; the process
definitions and configurations with the items that use them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengtong.core.calendar import days
from zhengtong.core.org.models import Department
from zhengtong.core.permissions.checks import (
    has_perm,
    holder_ids,
    holds_role,
    require,
    role_codes,
    scope_q,
)
from zhengtong.services.workflow import definitions
from zhengtong.services.workflow.models import (
    InstanceStatus,
    ProcessConfig,
    ProcessDefinition,
    ProcessInstance,
    TaskStatus,
    WorkTask,
)
from zhengtong.services.workflow.registry import APPROVE, COMPLETE, MANAGE
from zhengtong.services.workflow.routing import OWN_DEPARTMENT

TABS = {"pending": gettext_lazy("待办"), "mine": gettext_lazy("我的"), "due_soon": gettext_lazy("即将到期"),
        "overdue": gettext_lazy("已超期"), "done": gettext_lazy("已办")}
DUE_SOON_WORKING_DAYS = 2


def is_eligible(user, task: WorkTask) -> bool:
    """May ``user`` act on ``task``: the action within the task's department and the task's role."""
    return has_perm(user, COMPLETE, department=task.department) and holds_role(user, task.role_code)


def require_eligible(user, task: WorkTask) -> None:
    if not is_eligible(user, task):
        raise PermissionDenied(_("您不能办理“%(task)s”：该任务属于%(dept)s的%(role)s")
                               % {"task": task.label, "dept": task.department.name, "role": task.role_code})


def eligible_user_ids(department, role_code: str) -> list[int]:
    """Ids of the active staff holding ``role_code`` with a grant that covers ``department``
    (ids, not users: every new task notifies them, and nothing else of theirs is needed)."""
    return holder_ids(COMPLETE, department=department, role_code=role_code)


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


# --- process definitions and configurations (流程管理 / 流程配置) ------------------------------

PROCESS_STATUS = {"shipped": gettext_lazy("内置"), "ready": gettext_lazy("可用（不含脚本）"),
                  "pending": gettext_lazy("待批准"), "approved": gettext_lazy("已批准")}


@dataclass
class ProcessInfo:
    """A shipped or uploaded process as the console and API show it."""

    key: str
    name: str
    definition: ProcessDefinition | None
    description: definitions.Description | None
    items: int = 0
    configs: int = 0
    error: str = ""  # a stored process that no longer parses (e.g. edited behind the platform's back)

    @property
    def shipped(self) -> bool:
        return self.definition is None

    @property
    def status(self) -> str:
        d = self.definition
        if d is None:
            return "shipped"
        if d.approved_at is not None:
            return "approved"
        return "pending" if d.has_scripts else "ready"

    @property
    def status_label(self) -> str:
        return str(PROCESS_STATUS[self.status])

    @property
    def runnable(self) -> bool:
        return self.definition is None or self.definition.runnable

    @property
    def has_scripts(self) -> bool:
        return self.definition.has_scripts if self.definition else bool(self.description and
                                                                        self.description.has_scripts)

    @property
    def slot_count(self) -> int:
        return self.description.slot_count if self.description else 0


def require_process_reader(user) -> None:
    """Process pages are for those who maintain processes or approve them."""
    if not has_perm(user, APPROVE):
        require(user, MANAGE)


def _info(key: str, definition: ProcessDefinition | None, items: dict, configs: dict) -> ProcessInfo:
    try:
        description = definitions.description_of(key, definition.bpmn if definition else None)
        error = ""
    except definitions.DefinitionError as exc:
        description, error = None, str(exc)
    name = definition.name if definition else (description.name if description else key)
    return ProcessInfo(key, name, definition, description, items.get(key, 0), configs.get(key, 0), error)


def _item_counts() -> dict[str, int]:
    from zhengtong.services.catalog.models import ServiceItem

    rows = (ServiceItem.objects.filter(current__isnull=False).values("current__process_key")
            .annotate(n=Count("id")).order_by())
    return {r["current__process_key"]: r["n"] for r in rows}


def _config_counts() -> dict[str, int]:
    rows = ProcessConfig.objects.values("process_key").annotate(n=Count("id")).order_by()
    return {r["process_key"]: r["n"] for r in rows}


def process_list() -> list[ProcessInfo]:
    """The shipped processes, then the uploaded ones by key (three queries)."""
    items, configs = _item_counts(), _config_counts()
    shipped = [_info(key, None, items, configs) for key in definitions.SHIPPED_KEYS]
    uploaded = ProcessDefinition.objects.select_related("uploaded_by", "approved_by").order_by("key")
    return shipped + [_info(d.key, d, items, configs) for d in uploaded]


def access_process(user, key: str) -> ProcessInfo:
    """One process by key: 403 without the right, 404 when unknown."""
    require_process_reader(user)
    definition = None
    if key not in definitions.SHIPPED_KEYS:
        definition = ProcessDefinition.objects.select_related("uploaded_by", "approved_by").filter(key=key).first()
        if definition is None:
            raise Http404(_("审批流程 %(key)s 不存在") % {"key": key})
    return _info(key, definition, _item_counts(), _config_counts())


def configurable_processes() -> list[ProcessInfo]:
    """Runnable processes with countersign steps or parallel branches to fill."""
    return [p for p in process_list() if p.runnable and p.slot_count]


def items_using(process_key: str) -> QuerySet:
    """Items whose current or draft version names ``process_key``; ``own_config`` when the item has its own row."""
    from zhengtong.services.catalog.models import ServiceItem, VersionStatus

    own = ProcessConfig.objects.filter(process_key=process_key, item_code=OuterRef("code"))
    return (ServiceItem.objects.filter(Q(current__process_key=process_key)
                                       | Q(versions__status=VersionStatus.DRAFT, versions__process_key=process_key))
            .annotate(own_config=Exists(own)).select_related("current", "department").distinct().order_by("code"))


def config_list(process_key: str = "") -> list[dict]:
    """Every configuration with its branches' departments resolved and how many items it reaches
    (an item row: its item; the default: the items using the process without their own row)."""
    from zhengtong.services.catalog.models import ServiceItem

    configs = list(ProcessConfig.objects.filter(**({"process_key": process_key} if process_key else {})))
    codes = {b.get("department_code") for c in configs for b in c.branches}
    departments = {d.code: d for d in Department.objects.filter(code__in=codes)}
    items = {i.code: i for i in ServiceItem.objects.filter(code__in=[c.item_code for c in configs if c.item_code])
             .select_related("current")}
    names = {p.key: p.name for p in process_list()}
    rows = []
    for c in configs:
        if c.item_code:
            reach = 1
        else:
            own = [x.item_code for x in configs if x.process_key == c.process_key and x.item_code]
            reach = ServiceItem.objects.filter(current__process_key=c.process_key).exclude(code__in=own).count()
        rows.append({"config": c, "process_name": names.get(c.process_key, c.process_key),
                     "item": items.get(c.item_code), "reach": reach,
                     "branches": [branch_row(b, departments) for b in c.branches]})
    return rows


def branch_row(branch: dict, departments: dict) -> dict:
    code = branch.get("department_code", "")
    if code == OWN_DEPARTMENT:
        department = _("办件的承办部门")
    else:
        found = departments.get(code)
        department = found.name if found else _("%(code)s（已不存在）") % {"code": code}
    return {**branch, "department": department}


def access_config_by_id(user, pk: int) -> ProcessConfig:
    require(user, MANAGE)
    config = ProcessConfig.objects.filter(pk=pk).first()
    if config is None:
        raise Http404(_("流程配置不存在"))
    return config


def running_count(process_key: str) -> int:
    return ProcessInstance.objects.filter(process_key=process_key, status=InstanceStatus.RUNNING).count()
