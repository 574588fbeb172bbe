"""Per-request facts (client IP) that audit entries pick up without threading them through."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestFacts:
    ip: str = ""


current: ContextVar[RequestFacts] = ContextVar("zt_request_facts", default=RequestFacts())  # noqa: B039 (frozen)


def client_ip(meta: dict) -> str:
    # Behind nginx the platform trusts only the last hop it added (see docs/deploy.md).
    forwarded = meta.get("HTTP_X_REAL_IP") or ""
    return (forwarded or meta.get("REMOTE_ADDR") or "")[:45]
