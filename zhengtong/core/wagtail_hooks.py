"""Builds the console's platform menus from ``core.console`` registrations."""

from __future__ import annotations

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from zhengtong.core import console


class _PermittedItem(MenuItem):
    def __init__(self, item: console.ConsoleItem):
        self.item = item
        super().__init__(item.label, reverse(item.url_name), icon_name=item.icon, order=item.order)

    def is_shown(self, request):
        return console.visible(self.item, request.user)


class _PlatformItems(Menu):
    """Items are read from the registry when the menu renders (after all hooks modules load)."""

    def __init__(self, code: str):
        super().__init__()
        self.code = code

    @property
    def registered_menu_items(self):  # type: ignore[override]
        return [_PermittedItem(i) for i in sorted(console.ITEMS, key=lambda i: i.order) if i.menu == self.code]


class _PlatformMenu(SubmenuMenuItem):
    def __init__(self, code: str):
        label, icon, order = console.MENUS[code]
        self.code = code
        super().__init__(label, _PlatformItems(code), icon_name=icon, order=order, name=f"zt-{code}")

    def is_shown(self, request):
        return any(i.menu == self.code and console.visible(i, request.user) for i in console.ITEMS)


def platform_menu(code: str) -> _PlatformMenu:
    """For apps that add a new platform menu: ``hooks.register("register_admin_menu_item", lambda: platform_menu("x"))``."""
    return _PlatformMenu(code)


for _code in ("services", "supervision", "system"):
    hooks.register("register_admin_menu_item", lambda code=_code: platform_menu(code))
