"""Refusals of the applications app: a Chinese message and the HTTP status that fits it."""

from __future__ import annotations


class ApplicationError(Exception):
    """An action refused; ``status``: 400 bad input, 403 not allowed, 404 absent, 409 wrong state."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, errors: dict[str, str] | None = None, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        if code:
            self.code = code


class InvalidInput(ApplicationError):
    status = 400
    code = "invalid"


class StateConflict(ApplicationError):
    status = 409
    code = "conflict"
