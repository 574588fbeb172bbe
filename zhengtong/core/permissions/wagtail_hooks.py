"""Console pages of the security admin (roles, grants) and, via ``core.sysadmin``, the system admin."""

from __future__ import annotations

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from zhengtong.core.console import ConsoleItem, register_console_item
from zhengtong.core.permissions import urls
from zhengtong.core.sysadmin import wagtail_hooks as _sysadmin_hooks  # noqa: F401  (not an app)


@hooks.register("register_admin_urls")
def _urls():
    return [path("permissions/", include(urls))]


register_console_item(ConsoleItem(menu="system", label=_("角色管理"), url_name="permissions_console:roles",
                                  icon="group", order=9300, action="permissions.role.manage"))
register_console_item(ConsoleItem(menu="system", label=_("授权管理"), url_name="permissions_console:grants",
                                  icon="key", order=9310, action="permissions.grant"))
