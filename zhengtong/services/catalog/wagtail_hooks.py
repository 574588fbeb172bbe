from __future__ import annotations

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from zhengtong.core.console import ConsoleItem, register_console_item

register_console_item(ConsoleItem(menu="services", label=_("事项管理"), url_name="catalog_console:list",
                                  icon="list-ul", order=100, action="catalog.item.manage"))


@hooks.register("register_admin_urls")
def catalog_urls():
    return [path("catalog/", include("zhengtong.services.catalog.console_urls", namespace="catalog_console"))]
