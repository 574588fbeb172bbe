"""Reads for the org console: the region and department trees, in tree order."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from zhengtong.core.org.models import Department, Region


@dataclass(frozen=True)
class TreeRow:
    depth: int
    node: object
    extra: int = 0


def _depth(path: str) -> int:
    return path.count("/") - 2


def region_tree() -> list[TreeRow]:
    """Province to county; townships are counted, not listed (there are tens of thousands)."""
    qs = (Region.objects.exclude(level="township")
          .annotate(townships=Count("children", filter=Q(children__level="township"))).order_by("path"))
    return [TreeRow(_depth(r.path), r, r.townships) for r in qs]


def department_tree() -> list[TreeRow]:
    qs = Department.objects.select_related("region").order_by("region__path", "path")
    return [TreeRow(_depth(d.path), d) for d in qs]
