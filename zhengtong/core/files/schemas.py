from __future__ import annotations

from ninja import Schema


class AttachmentOut(Schema):
    id: int
    original_name: str
    kind: str
    content_type: str
    size: int
    sm3: str
    url: str
