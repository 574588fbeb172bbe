"""The JSON API under /api/v1/ (django-ninja, OpenAPI at /api/v1/docs).

Each app that offers endpoints has an ``api.py`` with a module-level ``router``; routers
are discovered here, mounted at ``/api/v1/<app label>/``, and the spine's own at ``/api/v1/``.
"""

from __future__ import annotations

import importlib

from django.apps import apps as django_apps
from ninja import NinjaAPI

from zhengtong.core.api.auth import ApiTokenAuth, SessionStaffOrPublicAuth

api = NinjaAPI(
    title="政通 Zhengtong API",
    version="1.0",
    description="示范市一体化电子政务平台接口。系统间调用使用令牌（Authorization: Bearer …），浏览器使用会话。",
    auth=[ApiTokenAuth(), SessionStaffOrPublicAuth()],
    urls_namespace="api",
)

from zhengtong.core.api import routes as _core_routes  # noqa: E402,F401  (the spine's shared routes)


def _discover() -> None:
    for config in django_apps.get_app_configs():
        if not config.name.startswith("zhengtong."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.api":
                raise
            continue
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(f"/{config.label}/", router)


_discover()
