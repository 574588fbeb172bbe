from __future__ import annotations

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from zhengtong.core.console import ConsoleItem, register_console_item
from zhengtong.services.workflow import console_urls

register_console_item(ConsoleItem(menu="services", label=_("审批待办"), url_name="workflow_console:inbox",
                                  icon="tasks", order=300, action="workflow.task.complete"))


@hooks.register("register_admin_urls")
def _urls() -> list:
    return [path("workflow/", include(console_urls, namespace="workflow_console"))]
