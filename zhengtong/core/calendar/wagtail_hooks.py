from __future__ import annotations

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from zhengtong.core.console import ConsoleItem, register_console_item

register_console_item(ConsoleItem(menu="system", label=_("工作日历"), url_name="calendar_console:index",
                                  icon="date", order=300, action="calendar.manage"))


@hooks.register("register_admin_urls")
def calendar_urls():
    return [path("calendar/", include("zhengtong.core.calendar.urls", namespace="calendar_console"))]
