from __future__ import annotations

from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "zhengtong.services.workflow"
    label = "workflow"
    verbose_name = "审批流程"
