"""My messages over the API (mounted at /api/v1/notify/)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from zhengtong.core.api.errors import ErrorOut
from zhengtong.core.notify import actions, queries
from zhengtong.core.notify.schemas import MarkedOut, MessageOut, UnreadOut

router = Router(tags=["notify"])


@router.get("/messages", response=list[MessageOut], summary="我的消息")
@paginate
def list_messages(request: HttpRequest, unread: bool = False):
    qs = queries.inbox_for(request.user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs


@router.get("/messages/unread-count", response=UnreadOut, summary="未读消息数")
def unread_count(request: HttpRequest):
    return {"unread": queries.unread_count(request.user)}


@router.post("/messages/{message_id}/read", response={200: MarkedOut, 404: ErrorOut}, summary="标记消息已读")
def mark_read(request: HttpRequest, message_id: int):
    message = queries.access_message_by_id(request.user, message_id)
    actions.do_mark_read(message, actor=request.user)
    message.refresh_from_db(fields=["read_at"])
    return {"id": message.pk, "read_at": message.read_at}
