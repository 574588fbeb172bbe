from __future__ import annotations

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from zhengtong.core.console import ConsoleItem, register_console_item
from zhengtong.services.catalog.registry import BUNDLE, MANAGE, TOPIC

register_console_item(ConsoleItem(menu="services", label=_("事项管理"), url_name="catalog_console:list",
                                  icon="list-ul", order=100, action=MANAGE))
register_console_item(ConsoleItem(menu="services", label=_("主题管理"), url_name="catalog_console:topics",
                                  icon="tag", order=110, action=TOPIC))
register_console_item(ConsoleItem(menu="services", label=_("一件事管理"), url_name="catalog_console:bundles",
                                  icon="folder-open-inverse", order=120, action=BUNDLE))


@hooks.register("register_admin_urls")
def catalog_urls():
    return [path("catalog/", include("zhengtong.services.catalog.console_urls", namespace="catalog_console"))]
