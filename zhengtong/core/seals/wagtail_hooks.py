"""Console pages for seals: key management (system admin) and signing (signers in scope)."""

from __future__ import annotations

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from zhengtong.core.console import ConsoleItem, register_console_item
from zhengtong.core.seals import console_urls


@hooks.register("register_admin_urls")
def _urls() -> list:
    return [path("seals/", include(console_urls, namespace="seals_console"))]


register_console_item(ConsoleItem(menu="system", label=_("电子印章"), url_name="seals_console:index",
                                  icon="key", order=9250, action="seals.manage"))
register_console_item(ConsoleItem(menu="system", label=_("文件签章"), url_name="seals_console:documents",
                                  icon="doc-full", order=9260, action="seals.document.sign"))
