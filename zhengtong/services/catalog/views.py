"""Public guide pages (办事指南): the searchable catalog, an item's guide, a bundle's guide,
browse by life event. Always generated from the current published version."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from zhengtong.core.org.models import Department
from zhengtong.services.catalog import jsonform, queries
from zhengtong.services.catalog.models import Audience, ItemKind, LifeEvent, OnlineDepth
from zhengtong.services.catalog.registry import process_label

PAGE_SIZE = 20


def index(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip()[:100] for key in queries.FILTERS}
    items = queries.public_items(**filters)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(request, "catalog/index.html", {
        "page": page, "filters": filters, "query": query,
        "departments": Department.objects.filter(service_items__current__status="published").distinct()
        .order_by("code"),
        "life_events": LifeEvent.objects.all(), "kinds": ItemKind.choices, "audiences": Audience.choices,
        "bundles": queries.public_bundles(),
    })


def item_guide(request: HttpRequest, code: str) -> HttpResponse:
    item = queries.public_item(code)
    if item is None:
        raise Http404("事项不存在或尚未发布")
    version = item.current
    return render(request, "catalog/guide.html", {
        "item": item, "v": version, "materials": version.materials.all(),
        "process_label": process_label(version.process_key),
        "depths": OnlineDepth.choices, "form_preview": jsonform.render(version.form_schema),
        "print": request.GET.get("print") == "1", "apply_url": f"/apply/new/{item.code}/",
    })


def bundle_guide(request: HttpRequest, code: str) -> HttpResponse:
    bundle = get_object_or_404(queries.public_bundles(), code=code)
    return render(request, "catalog/bundle.html", {
        "bundle": bundle, "versions": queries.bundle_versions(bundle),
        "materials": queries.bundle_materials(bundle), "print": request.GET.get("print") == "1",
        "apply_url": f"/apply/bundle/{bundle.code}/",
    })


def life_events(request: HttpRequest) -> HttpResponse:
    events = LifeEvent.objects.prefetch_related("bundles")
    rows = [(e, queries.public_items(life_event=e.code)) for e in events]
    return render(request, "catalog/life_events.html", {"rows": rows})
