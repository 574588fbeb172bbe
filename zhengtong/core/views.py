"""The public shell (home, elderly mode) and operational endpoints (health, readiness, metrics)."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from zhengtong.core.org.models import Department, Region


def home(request: HttpRequest) -> HttpResponse:
    city = Region.objects.filter(level="city").order_by("code").first()
    departments = Department.objects.filter(region=city, parent__isnull=True, is_active=True) if city else []
    counties = city.children.all() if city else []
    return render(request, "core/home.html", {"city": city, "departments": departments, "counties": counties})


@require_POST
def toggle_elderly(request: HttpRequest) -> HttpResponse:
    """适老化: larger type and higher contrast, remembered for a year."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    response = redirect(target)
    if request.COOKIES.get("zt_elderly") == "1":
        response.delete_cookie("zt_elderly")
    else:
        response.set_cookie("zt_elderly", "1", max_age=365 * 24 * 3600, samesite="Lax")
    return response


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        checks["migrations"] = "ok" if not pending else f"{len(pending)} pending"
    except Exception as exc:  # readiness must answer, whatever broke
        checks["database"] = f"error: {exc.__class__.__name__}"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    from zhengtong.core.metrics import refresh_gauges

    refresh_gauges()
    return HttpResponse(generate_latest(), content_type=CONTENT_TYPE_LATEST)
