"""Accounts in the staff console: the citizen lookup menu item and the staff member's own TOTP page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks

from zhengtong.core.console import ConsoleItem, register_console_item

register_console_item(ConsoleItem(menu="services", label=gettext_lazy("自然人查询"), url_name="accounts_console:citizens",
                                  icon="user", order=150, action="accounts.person.read"))


@hooks.register("register_admin_urls")
def _urls() -> list[Any]:
    return [path("accounts/", include("zhengtong.core.accounts.console_urls", namespace="accounts_console"))]


@hooks.register("register_account_menu_item")
def _totp_menu_item(request: HttpRequest) -> dict[str, str]:
    return {"url": reverse("accounts_console:totp"), "label": _("动态口令令牌"),
            "help_text": _("绑定或更换身份验证器（TOTP）；更换需输入当前动态口令。")}
