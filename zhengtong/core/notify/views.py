"""The inbox, on the public site and in the staff console (same data, two frames)."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.core.notify import actions, queries

PER_PAGE = 20


def _context(request: HttpRequest) -> dict:
    page = Paginator(queries.inbox_for(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return {"page": page, "unread": queries.unread_count(request.user), "page_title": _("我的消息")}


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = default
    return redirect(target)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "notify/inbox.html", _context(request))


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    message = queries.access_message_by_id(request.user, pk)
    actions.do_mark_read(message, actor=request.user)
    if message.link and request.POST.get("open"):
        return redirect(message.link) if url_has_allowed_host_and_scheme(
            message.link, {request.get_host()}) else _back(request, "notify:inbox")
    return _back(request, "notify:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = actions.do_mark_all_read(actor=request.user)
    flash.success(request, _("已将 %(count)s 条消息标记为已读") % {"count": count})
    return _back(request, "notify:inbox")


def console_inbox(request: HttpRequest) -> HttpResponse:
    """The same inbox inside the staff console (Wagtail requires a staff login already)."""
    if getattr(request.user, "kind", "") != "staff":
        raise PermissionDenied
    return render(request, "notify/console_inbox.html", {**_context(request), "header_icon": "mail"})
