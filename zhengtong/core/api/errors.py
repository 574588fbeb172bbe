"""One error shape for the API: ``{"code": ..., "message": ...}``, message in Chinese."""

from __future__ import annotations

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
