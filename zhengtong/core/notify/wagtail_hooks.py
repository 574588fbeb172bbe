"""The staff's inbox in the console: a top-level menu item every staff member sees."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from zhengtong.core.notify import console_urls


class _StaffInboxItem(MenuItem):
    def is_shown(self, request) -> bool:
        return getattr(request.user, "kind", "") == "staff"


@hooks.register("register_admin_urls")
def _urls() -> list:
    return [path("inbox/", include(console_urls, namespace="notify_console"))]


@hooks.register("register_admin_menu_item")
def _menu_item() -> MenuItem:
    return _StaffInboxItem(_("我的消息"), reverse("notify_console:inbox"), icon_name="mail",
                           order=150, name="zt-inbox")
