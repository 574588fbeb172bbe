"""Menu items and URLs of the system admin's pages (imported by core.permissions.wagtail_hooks)."""

from __future__ import annotations

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from zhengtong.core.console import ConsoleItem, register_console_item
from zhengtong.core.sysadmin import urls


@hooks.register("register_admin_urls")
def _urls():
    return [path("sysadmin/", include(urls))]


register_console_item(ConsoleItem(menu="system", label=_("用户管理"), url_name="sysadmin_console:users",
                                  icon="user", order=9100, action="accounts.user.update"))
register_console_item(ConsoleItem(menu="system", label=_("系统设置"), url_name="sysadmin_console:settings",
                                  icon="cog", order=9190, action="core.settings.update"))
