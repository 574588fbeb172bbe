"""The staff console's menus: one Wagtail menu per platform, items registered by apps.

An app registers its pages in its ``wagtail_hooks.py``::

    from zhengtong.core.console import ConsoleItem, register_console_item
    register_console_item(ConsoleItem(menu="system", label="工作日历", url_name="calendar_console:index",
                                      icon="date", order=300, action="calendar.manage"))

and its URLs with Wagtail's ``register_admin_urls`` hook. An item is shown only to users
holding ``action`` (any scope); the view itself must still check the permission.
"""

from __future__ import annotations

from dataclasses import dataclass

MENUS: dict[str, tuple[str, str, int]] = {
    # code: (label, icon, order)
    "services": ("政务服务", "folder-open-inverse", 200),
    "supervision": ("电子监察", "view", 300),
    "system": ("系统管理", "cogs", 9000),
}


@dataclass(frozen=True)
class ConsoleItem:
    menu: str
    label: str
    url_name: str
    icon: str = "doc-full"
    order: int = 100
    action: str | None = None  # None: any staff member
    any_of: tuple[str, ...] = ()  # instead of ``action``: shown to holders of any of these


ITEMS: list[ConsoleItem] = []


def register_console_item(item: ConsoleItem) -> None:
    if item.menu not in MENUS:
        raise KeyError(f"unknown console menu {item.menu!r}")
    ITEMS.append(item)


def register_menu(code: str, label: str, icon: str, order: int) -> None:
    MENUS.setdefault(code, (label, icon, order))


def visible(item: ConsoleItem, user) -> bool:
    from zhengtong.core.permissions.checks import has_perm

    if getattr(user, "kind", "") != "staff":
        return False
    if item.any_of:
        return any(has_perm(user, action) for action in item.any_of)
    return item.action is None or has_perm(user, item.action)
