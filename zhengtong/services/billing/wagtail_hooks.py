"""Console pages for bills and licences, under the 政务服务 menu."""

from __future__ import annotations

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from zhengtong.core.console import ConsoleItem, register_console_item
from zhengtong.services.billing import console_urls


@hooks.register("register_admin_urls")
def _urls() -> list:
    return [path("billing/", include(console_urls, namespace="billing_console"))]


register_console_item(ConsoleItem(menu="services", label=_("收费单"), url_name="billing_console:bills",
                                  icon="list-ul", order=500, action="billing.bill.view"))
register_console_item(ConsoleItem(menu="services", label=_("电子证照"), url_name="billing_console:licences",
                                  icon="doc-full-inverse", order=510, action="billing.licence.view"))
