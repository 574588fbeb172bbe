from __future__ import annotations

from datetime import datetime

from ninja import Schema


class MessageOut(Schema):
    id: int
    subject: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None
    unread: bool

    @staticmethod
    def resolve_unread(obj) -> bool:
        return obj.is_unread


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    id: int
    read_at: datetime | None
