"""The staff console's menus: one Wagtail menu per platform, items registered by apps.

An app registers its pages in its ``wagtail_hooks.py``::

    from zhengtong.core.console import ConsoleItem, register_console_item
    register_console_item(ConsoleItem(menu="system", label=_("工作日历"), url_name="calendar_console:index",
                                      icon="date", order=300, action="calendar.manage"))

(``_`` is ``gettext_lazy``: items are registered at import time, their labels translated
when the menu is drawn) and its URLs with Wagtail's ``register_admin_urls`` hook. An item
is shown only to users holding ``action`` (any scope), or any of ``any_of``; the view itself
must still check the permission. Views are wrapped in ``console_view``: Wagtail's admin URL
wrapper turns ``PermissionDenied`` into a redirect to the dashboard, ours answer a plain 403
inside the console frame instead, so a refused wall is visible (and testable) as one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MENUS: dict[str, tuple[str | Promise, str, int]] = {
    # code: (label, icon, order)
    "services": (gettext_lazy("政务服务"), "folder-open-inverse", 200),
    "supervision": (gettext_lazy("电子监察"), "view", 300),
    "system": (gettext_lazy("系统管理"), "cogs", 9000),
}


@dataclass(frozen=True)
class ConsoleItem:
    menu: str
    label: str | Promise
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


def register_menu(code: str, label: str | Promise, icon: str, order: int) -> None:
    MENUS.setdefault(code, (label, icon, order))


def visible(item: ConsoleItem, user) -> bool:
    from zhengtong.core.permissions.checks import has_perm

    if getattr(user, "kind", "") != "staff":
        return False
    if item.any_of:
        return any(has_perm(user, action) for action in item.any_of)
    return item.action is None or has_perm(user, item.action)


def render_page(request: HttpRequest, template: str, title: str, *, icon: str = "doc-full", status: int = 200,
                **context) -> HttpResponse:
    return render(request, template, {"page_title": title, "header_icon": icon, **context}, status=status)


def console_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Render a refused permission as a 403 page inside the console frame."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return render_page(request, "permissions/forbidden.html", _("没有权限"), icon="warning", status=403,
                               message=str(exc) or _("您没有访问此页面的权限"))

    return wrapped
