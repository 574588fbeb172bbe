"""The JSON API under /api/v1/ (django-ninja, OpenAPI at /api/v1/docs)."""

from __future__ import annotations

from ninja import NinjaAPI

from zhengtong.core.api.auth import ApiTokenAuth, SessionStaffOrPublicAuth

api = NinjaAPI(
    title="政通 Zhengtong API",
    version="1.0",
    description="示范市一体化电子政务平台接口。系统间调用使用令牌（Authorization: Bearer …），浏览器使用会话。",
    auth=[ApiTokenAuth(), SessionStaffOrPublicAuth()],
    urls_namespace="api",
)

from zhengtong.core.api import routes as _core_routes  # noqa: E402,F401  (registers the spine's routers)
