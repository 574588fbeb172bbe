"""One row per scheduled run: the unique (name, slot) pair is the lock that lets several
scheduler processes run side by side without enqueuing a run twice."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    ENQUEUED = "enqueued", _("已入队")
    ERROR = "error", _("无法入队")


class JobRun(models.Model):
    name = models.CharField("任务", max_length=100)
    slot = models.DateTimeField("计划时间")
    enqueued_at = models.DateTimeField("入队时间", auto_now_add=True)
    task_result_id = models.CharField("任务结果标识", max_length=64, blank=True)
    status = models.CharField("状态", max_length=16, choices=RunStatus.choices, default=RunStatus.ENQUEUED)
    error = models.TextField("错误", blank=True)

    class Meta:
        ordering = ["-slot", "name"]
        verbose_name = verbose_name_plural = "定时任务运行"
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="jobs_jobrun_one_per_slot")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot:%Y-%m-%d %H:%M}"
