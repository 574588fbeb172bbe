"""Administrative divisions (GB/T 2260, townships GB/T 10114) and the department tree."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("地市级")
    COUNTY = "county", _("县区级")
    TOWNSHIP = "township", _("乡镇（街道）级")


class RegionQuerySet(models.QuerySet):
    def current(self, on=None) -> RegionQuerySet:
        """Divisions valid on a date (codes are retired, never reused)."""
        day = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )


class Region(models.Model):
    code = models.CharField("区划代码", max_length=9, unique=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    # "/360000/361200/361202/": ancestors' codes, so a subtree is one prefix query.
    path = models.CharField(max_length=120, db_index=True, editable=False)
    valid_from = models.DateField("启用日期", null=True, blank=True)
    valid_to = models.DateField("停用日期", null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = f"{self.parent.path if self.parent else '/'}{self.code}/"
        super().save(*args, **kwargs)

    def subtree(self) -> RegionQuerySet:
        return Region.objects.filter(path__startswith=self.path)


class Department(models.Model):
    region = models.ForeignKey(Region, models.PROTECT, related_name="departments", verbose_name="所属区划")
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级部门")
    code = models.CharField("部门编码", max_length=32, unique=True)
    name = models.CharField("部门名称", max_length=100)
    short_name = models.CharField("简称", max_length=20, blank=True)
    # Document-number prefix, e.g. "示政发" (used by the office app's numbering).
    doc_prefix = models.CharField("机关代字", max_length=20, blank=True)
    path = models.CharField(max_length=255, db_index=True, editable=False)
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["region__code", "sort_order", "code"]
        verbose_name = verbose_name_plural = "部门"
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="org_department_unique_name_in_region"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = f"{self.parent.path if self.parent else '/'}{self.code}/"
        super().save(*args, **kwargs)

    def subtree(self) -> models.QuerySet[Department]:
        return Department.objects.filter(path__startswith=self.path)
