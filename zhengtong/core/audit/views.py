"""The audit admin's console page (安全审计员): the log viewer and the chain check."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.core.audit import queries
from zhengtong.core.audit.actions import check_read_log, check_verify_chain
from zhengtong.core.console import console_view, render_page
from zhengtong.core.permissions.checks import has_perm, require

PAGE_SIZE = 50


def _pretty(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)


@console_view
def log_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "audit.log.read")
    f = queries.filter_from(request.GET)
    page = Paginator(queries.entries(f), PAGE_SIZE).get_page(request.GET.get("p"))
    # Fetch the page before recording the read, so the page is what existed when asked for.
    rows = [(e, _pretty(e.before), _pretty(e.after)) for e in page]
    check_read_log(actor=request.user, f=f, page=page.number)
    return render_page(request, "audit/log_list.html", _("审计日志"), icon="history", page=page, rows=rows, f=f,
                       can_verify=has_perm(request.user, "audit.chain.verify"))


@console_view
@require_POST
def chain_verify(request: HttpRequest) -> HttpResponse:
    report = check_verify_chain(actor=request.user)
    if report.ok:
        messages.success(request, _("审计链完整：已校验 %(n)s 条记录，未发现篡改、删除或插入") % {"n": report.checked})
    else:
        messages.error(request, _("审计链校验失败（已校验 %(n)s 条）：%(problem)s")
                       % {"n": report.checked, "problem": report.problem.message})
    return redirect("audit_console:log")
