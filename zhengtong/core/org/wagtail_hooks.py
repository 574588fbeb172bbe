"""Console page of the system admin for regions and departments."""

from __future__ import annotations

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from zhengtong.core.console import ConsoleItem, register_console_item
from zhengtong.core.org import urls


@hooks.register("register_admin_urls")
def _urls():
    return [path("org/", include(urls))]


register_console_item(ConsoleItem(menu="system", label=_("区划和部门"), url_name="org_console:tree",
                                  icon="site", order=9200, action="org.manage"))
