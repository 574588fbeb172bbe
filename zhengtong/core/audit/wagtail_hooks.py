"""Console page of the audit admin: the audit log."""

from __future__ import annotations

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from zhengtong.core.audit import urls
from zhengtong.core.console import ConsoleItem, register_console_item


@hooks.register("register_admin_urls")
def _urls():
    return [path("audit/", include(urls))]


register_console_item(ConsoleItem(menu="system", label=_("审计日志"), url_name="audit_console:log",
                                  icon="history", order=9500, action="audit.log.read"))
