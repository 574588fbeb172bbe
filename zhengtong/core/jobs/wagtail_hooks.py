from __future__ import annotations

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from zhengtong.core.console import ConsoleItem, register_console_item
from zhengtong.core.jobs import console_urls

register_console_item(ConsoleItem(menu="system", label=_("后台任务"), url_name="jobs_console:index",
                                  icon="cogs", order=900, action="core.settings.update"))


@hooks.register("register_admin_urls")
def _urls() -> list:
    return [path("jobs/", include(console_urls, namespace="jobs_console"))]
