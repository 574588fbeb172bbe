from __future__ import annotations

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from zhengtong.core.console import ConsoleItem, register_console_item
from zhengtong.services.applications import console_urls

register_console_item(ConsoleItem(menu="services", label=_("办件受理"), url_name="applications_console:inbox",
                                  icon="tasks", order=200, action="applications.accept"))
register_console_item(ConsoleItem(menu="services", label=_("窗口收件"), url_name="applications_console:intake",
                                  icon="form", order=210, action="applications.window.intake"))
register_console_item(ConsoleItem(menu="services", label=_("再次补正审批"), url_name="applications_console:approvals",
                                  icon="tick", order=220, action="applications.supplement.approve"))


@hooks.register("register_admin_urls")
def _urls() -> list:
    return [path("applications/", include(console_urls, namespace="applications_console"))]
