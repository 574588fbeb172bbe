"""Audit admin API, mounted at /api/v1/audit/: read the log (itself audited) and verify the chain."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from ninja import Router, Schema

from zhengtong.core.audit import queries
from zhengtong.core.audit.actions import check_read_log, check_verify_chain
from zhengtong.core.permissions.checks import require

router = Router(tags=["audit"])
PAGE_SIZE = 50


class EntryOut(Schema):
    seq: int
    at: dt.datetime
    actor_name: str
    role: str
    ip: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: Any = None
    after: Any = None


class EntryPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[EntryOut]


class VerifyOut(Schema):
    ok: bool
    checked: int
    problem_seq: int | None = None
    problem_kind: str | None = None
    message: str = ""


@router.get("/entries", response=EntryPageOut, summary="审计日志（查阅行为本身被记录）")
def list_entries(request, action: str = "", actor: str = "", obj: str = "", date_from: dt.date | None = None,
                 date_to: dt.date | None = None, page: int = 1):
    require(request.user, "audit.log.read")
    f = queries.EntryFilter(action=action, actor=actor, obj=obj, date_from=date_from, date_to=date_to)
    current = Paginator(queries.entries(f), PAGE_SIZE).get_page(page)
    items = list(current)  # fetched before the read is recorded, as in the console
    check_read_log(actor=request.user, f=f, page=current.number)
    return {"count": current.paginator.count, "page": current.number, "pages": current.paginator.num_pages,
            "items": items}


@router.post("/verify", response=VerifyOut, summary="校验审计链")
def verify(request):
    report = check_verify_chain(actor=request.user)
    problem = report.problem
    return {"ok": report.ok, "checked": report.checked, "problem_seq": problem.seq if problem else None,
            "problem_kind": problem.kind if problem else None, "message": problem.message if problem else ""}
