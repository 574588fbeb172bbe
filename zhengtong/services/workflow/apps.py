from __future__ import annotations

import logging

from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "zhengtong.services.workflow"
    label = "workflow"
    verbose_name = "审批流程"

    def ready(self) -> None:
        from zhengtong.services.workflow.registry import register

        register()
        # SpiffWorkflow logs every state change at INFO: costly and noisy on every step.
        logging.getLogger("spiff").setLevel(logging.WARNING)
