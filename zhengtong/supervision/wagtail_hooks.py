from __future__ import annotations

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from zhengtong.core.console import ConsoleItem, register_console_item
from zhengtong.supervision import console_urls
from zhengtong.supervision import registry as reg


@hooks.register("register_admin_urls")
def _urls() -> list:
    return [path("supervision/", include(console_urls, namespace="supervision_console"))]


for _item in (
    ConsoleItem(menu="supervision", label=_("全市时限监控"), url_name="supervision_console:monitor", icon="time",
                order=110, action=reg.MONITOR),
    ConsoleItem(menu="supervision", label=_("督办纠错问责"), url_name="supervision_console:directives",
                icon="warning", order=120, action=reg.MONITOR),
    ConsoleItem(menu="supervision", label=_("差评整改"), url_name="supervision_console:follow_ups", icon="pick",
                order=130, action=reg.MONITOR),
    ConsoleItem(menu="supervision", label=_("部门绩效考核"), url_name="supervision_console:scorecards",
                icon="table", order=140, action=reg.SCORECARD),
    ConsoleItem(menu="supervision", label=_("监察大屏"), url_name="supervision_console:dashboard", icon="view",
                order=150, action=reg.MONITOR),
):
    register_console_item(_item)

