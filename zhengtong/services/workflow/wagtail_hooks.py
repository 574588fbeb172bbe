from __future__ import annotations

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from zhengtong.core.console import ConsoleItem, register_console_item
from zhengtong.services.workflow import console_urls
from zhengtong.services.workflow.registry import APPROVE, COMPLETE, MANAGE

register_console_item(ConsoleItem(menu="services", label=_("审批待办"), url_name="workflow_console:inbox",
                                  icon="tasks", order=300, action=COMPLETE))
# Approvers of uploaded processes (who may hold only APPROVE) work from the same page.
register_console_item(ConsoleItem(menu="services", label=_("流程管理"), url_name="workflow_console:processes",
                                  icon="cogs", order=310, any_of=(MANAGE, APPROVE)))
register_console_item(ConsoleItem(menu="services", label=_("流程配置"), url_name="workflow_console:configs",
                                  icon="cogs", order=320, action=MANAGE))


@hooks.register("register_admin_urls")
def _urls() -> list:
    return [path("workflow/", include(console_urls, namespace="workflow_console"))]
