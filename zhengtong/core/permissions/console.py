"""Helpers for console pages guarded by actions.

Wagtail's admin URL wrapper turns ``PermissionDenied`` into a redirect to the dashboard;
our pages answer a plain 403 instead, so a refused wall is visible (and testable) as one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


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
