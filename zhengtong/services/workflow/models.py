"""Approval processes: definitions, per-item branch configuration, running instances (the
serialised SpiffWorkflow state) and work tasks (the staff-facing projection of ready user tasks)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ProcessDefinition(models.Model):
    """An uploaded BPMN process. Shipped processes live in ``processes/*.bpmn`` and are not stored.

    A process with scripts (script tasks, pre/post scripts) runs only after a system administrator
    approves it; conditions are checked against the sandbox's allow-list at upload."""

    key = models.SlugField("流程编码", max_length=60, unique=True)
    name = models.CharField("流程名称", max_length=100)
    bpmn = models.TextField("BPMN")
    sha256 = models.CharField(max_length=64)
    has_scripts = models.BooleanField("含脚本", default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="批准人")
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = verbose_name_plural = "流程定义"

    def __str__(self) -> str:
        return f"{self.key} {self.name}"

    @property
    def runnable(self) -> bool:
        return not self.has_scripts or self.approved_at is not None


class ProcessConfig(models.Model):
    """Which departments a process's slots go to: countersign steps in order, parallel branches.

    ``branches``: ``[{"department_code": "SF-ZJ", "label": "住建部门审查", "limit_days": 5,
    "role": "approver"}]``. A row with an item code applies to that item; one without is the
    process's default."""

    process_key = models.CharField("流程编码", max_length=60)
    item_code = models.CharField("事项编码", max_length=64, blank=True, default="")
    branches = models.JSONField("分支配置", default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["process_key", "item_code"]
        verbose_name = verbose_name_plural = "流程配置"
        constraints = [models.UniqueConstraint(fields=["process_key", "item_code"], name="workflow_config_unique")]

    def __str__(self) -> str:
        return f"{self.process_key} {self.item_code or '默认'}"


class InstanceStatus(models.TextChoices):
    RUNNING = "running", _("办理中")
    COMPLETED = "completed", _("已完成")
    CANCELLED = "cancelled", _("已终止")


class ProcessInstance(models.Model):
    application = models.OneToOneField("applications.Application", models.CASCADE, related_name="process",
                                       verbose_name="办件")
    process_key = models.CharField("流程编码", max_length=60)
    state = models.JSONField("流程状态")  # BpmnWorkflowSerializer output
    allow_scripts = models.BooleanField(default=False)  # the definition was approved with scripts
    status = models.CharField("状态", max_length=10, choices=InstanceStatus.choices, default=InstanceStatus.RUNNING,
                              db_index=True)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)  # bumped on every step

    class Meta:
        ordering = ["-started_at"]
        verbose_name = verbose_name_plural = "流程实例"

    def __str__(self) -> str:
        return f"{self.process_key} #{self.pk}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("待办")
    DONE = "done", _("已办")
    CANCELLED = "cancelled", _("已取消")


class Outcome(models.TextChoices):
    APPROVE = "approve", _("同意")
    REJECT = "reject", _("不同意")
    RETURN = "return", _("退回重审")


class WorkTask(models.Model):
    instance = models.ForeignKey(ProcessInstance, models.CASCADE, related_name="tasks", verbose_name="流程实例")
    application = models.ForeignKey("applications.Application", models.CASCADE, related_name="work_tasks",
                                    verbose_name="办件")
    spiff_id = models.CharField(max_length=36, unique=True)
    spec_name = models.CharField("环节编码", max_length=60)
    label = models.CharField("环节", max_length=100)
    decision = models.BooleanField("决定环节", default=False)
    department = models.ForeignKey("org.Department", models.PROTECT, related_name="+", verbose_name="办理部门")
    role_code = models.CharField("办理角色", max_length=50)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name="认领人")
    status = models.CharField("状态", max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    opened_at = models.DateTimeField("开始时间", auto_now_add=True)
    due_date = models.DateField("到期日")
    timed_case = models.ForeignKey("timelimits.TimedCase", models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="时限")
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="办理人")
    completed_at = models.DateTimeField("办理时间", null=True, blank=True)
    outcome = models.CharField("意见", max_length=10, choices=Outcome.choices, blank=True)
    comment = models.TextField("办理意见", blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = verbose_name_plural = "审批任务"
        indexes = [
            models.Index(fields=["status", "department", "due_date"], name="workflow_task_inbox"),
            models.Index(fields=["assignee", "status"], name="workflow_task_assignee"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(status="done") | ~Q(outcome=""), name="workflow_done_has_outcome"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.label}"


class ProcessSpec(models.Model):
    """A process as the workflow serialiser writes it, stored once per content and named by its
    SHA-256 (taken over the serialiser's version and the text). A running instance's state names
    its spec, so a process changed later — a new release of a shipped one — does not change a case
    already under way, and no step rewrites the spec."""

    sha256 = models.CharField(max_length=64, unique=True)
    process_key = models.CharField("流程编码", max_length=60)
    serializer_version = models.CharField(max_length=20)
    spec = models.TextField()  # JSON text, kept as written (the serialiser rebuilds in that order)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "流程版本"

    def __str__(self) -> str:
        return f"{self.process_key} {self.sha256[:12]}"
