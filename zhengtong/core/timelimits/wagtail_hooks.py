from __future__ import annotations

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from zhengtong.core.console import ConsoleItem, register_console_item

register_console_item(ConsoleItem(menu="supervision", label=_("时限监控"), url_name="timelimits_console:monitor",
                                  icon="time", order=100, action="timelimits.case.view"))


@hooks.register("register_admin_urls")
def timelimits_urls():
    return [path("timelimits/", include("zhengtong.core.timelimits.urls", namespace="timelimits_console"))]
