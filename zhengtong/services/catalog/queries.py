"""Read-side helpers: the public catalog (published items only), bundle material lists, and
what a member of staff may maintain — items, bundles (drafts included) and life events."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zhengtong.core.permissions.checks import require, scope_q
from zhengtong.services.catalog.actions import require_citywide
from zhengtong.services.catalog.models import (
    Bundle,
    ItemVersion,
    LifeEvent,
    Material,
    ServiceItem,
    VersionStatus,
)
from zhengtong.services.catalog.registry import BUNDLE, MANAGE, TOPIC

FILTERS = ("q", "department", "life_event", "kind", "audience")

# A published version's materials never change (editing a published item creates a new
# version; only drafts have their materials rewritten), and every application reads them
# twice: read once per process. The key carries the publication time, so a version id
# reused by a rolled-back transaction (tests) can never find another version's list.
_PUBLISHED_MATERIALS: dict[tuple, tuple[Material, ...]] = {}
_PUBLISHED_MATERIALS_LIMIT = 4096


def materials_of(version: ItemVersion) -> list[Material]:
    """The version's materials in their order (shared instances for a published version:
    read them, do not change them)."""
    if version.status != VersionStatus.PUBLISHED or version.published_at is None:
        return list(version.materials.all())
    key = (version.pk, version.published_at)
    found = _PUBLISHED_MATERIALS.get(key)
    if found is None:
        if len(_PUBLISHED_MATERIALS) >= _PUBLISHED_MATERIALS_LIMIT:
            _PUBLISHED_MATERIALS.clear()
        found = _PUBLISHED_MATERIALS[key] = tuple(version.materials.all())
    return list(found)


def public_items(*, q: str = "", department: str = "", life_event: str = "", kind: str = "",
                 audience: str = "") -> QuerySet[ServiceItem]:
    """Items with a published current version, searched and filtered (codes for the filters)."""
    qs = (ServiceItem.objects.filter(current__isnull=False, current__status="published")
          .select_related("current", "department", "region"))
    if q := q.strip():
        qs = qs.filter(Q(current__name__icontains=q) | Q(code__icontains=q)
                       | Q(department__name__icontains=q) | Q(department__short_name__icontains=q))
    if department:
        qs = qs.filter(department__code=department)
    if life_event:
        qs = qs.filter(life_events__code=life_event)
    if kind:
        qs = qs.filter(current__kind=kind)
    if audience:
        qs = qs.filter(current__audience__in=[audience, "both"] if audience != "both" else ["both"])
    return qs.distinct().order_by("department__code", "code")


def public_item(code: str) -> ServiceItem | None:
    return (ServiceItem.objects.filter(code=code, current__status="published")
            .select_related("current", "department", "region").prefetch_related("life_events").first())


def managed_items(user) -> QuerySet[ServiceItem]:
    """Items of the departments in the user's ``catalog.item.manage`` scope; 403 without it."""
    require(user, MANAGE)
    return ServiceItem.objects.filter(scope_q(user, MANAGE)).select_related("current", "department", "region")


def access_managed_item(user, code: str) -> ServiceItem:
    """An item the user may maintain; 404 outside the scope (its existence is not revealed),
    403 without the action."""
    item = managed_items(user).filter(code=code).first()
    if item is None:
        raise Http404(_("事项不存在"))
    require(user, MANAGE, department=item.department)
    return item


def exported_items(user) -> QuerySet[ServiceItem]:
    """What an Excel export holds: the items in the user's scope that have a current version."""
    return managed_items(user).filter(current__isnull=False).prefetch_related("current__materials", "life_events")


def public_bundles() -> QuerySet[Bundle]:
    return Bundle.objects.filter(published=True).select_related("lead_department", "life_event")


def managed_bundles(user) -> QuerySet[Bundle]:
    """Bundles, published or not, led by a department in the user's ``catalog.bundle.manage``
    scope; 403 without it."""
    require(user, BUNDLE)
    # ordered here: a model's Meta.ordering is not applied to the GROUP BY queries that count items
    return (Bundle.objects.filter(scope_q(user, BUNDLE, department_field="lead_department"))
            .select_related("lead_department", "life_event").order_by("code"))


def access_managed_bundle(user, code: str) -> Bundle:
    """A bundle the user may maintain; 404 outside the scope, 403 without the action."""
    bundle = managed_bundles(user).filter(code=code).first()
    if bundle is None:
        raise Http404(_("“一件事”不存在"))
    require(user, BUNDLE, department=bundle.lead_department)
    return bundle


def managed_life_events(user) -> QuerySet[LifeEvent]:
    """Every life event, for someone holding ``catalog.topic.manage`` city-wide; 403 otherwise."""
    require_citywide(user, TOPIC)
    return LifeEvent.objects.order_by("sort_order", "code")  # explicit: the console counts with GROUP BY


def access_life_event(user, code: str) -> LifeEvent:
    """A life event to maintain: 403 without a city-wide grant (checked first), 404 if unknown."""
    event = managed_life_events(user).filter(code=code).first()
    if event is None:
        raise Http404(_("主题不存在"))
    return event


@dataclass
class BundleMaterial:
    """One row of a bundle's combined material list: same-named materials are asked once."""

    name: str
    form: str
    count: int
    required: bool
    trust_level: str
    shared_source: str
    note: str
    items: list[str] = field(default_factory=list)


def bundle_versions(bundle: Bundle) -> list[ItemVersion]:
    items = bundle.items.filter(current__status="published").select_related("current", "department")
    return [i.current for i in items.order_by("code")]


def bundle_materials(bundle: Bundle) -> list[BundleMaterial]:
    versions = bundle_versions(bundle)
    merged: dict[str, BundleMaterial] = {}
    mats = Material.objects.filter(version__in=versions).select_related("version").order_by("version__item__code",
                                                                                               "sort_order", "id")
    for m in mats:
        row = merged.get(m.name)
        if row is None:
            row = merged[m.name] = BundleMaterial(m.name, m.get_form_display(), m.count, m.required,
                                                  m.trust_level, m.shared_source, m.note)
        else:
            row.count = max(row.count, m.count)
            row.required = row.required or m.required
            row.shared_source = row.shared_source or m.shared_source
        row.items.append(m.version.name)
    return list(merged.values())
