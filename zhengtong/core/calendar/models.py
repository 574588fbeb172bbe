"""Working-day calendar data: administrators' day overrides and years marked official.

The State Council's schedule up to 2026 comes from the ``chinese_calendar`` package;
everything else (a later year's schedule, local adjustments) is a ``DayOverride``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class DayOverride(models.Model):
    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="录入人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "工作日调整"

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {'上班' if self.is_workday else '休息'}"


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField("年份", unique=True)
    official = models.BooleanField("已录入官方安排", default=False)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name="确认人")
    marked_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = verbose_name_plural = "日历年度"

    def __str__(self) -> str:
        return str(self.year)


def new_token() -> str:
    return uuid.uuid4().hex


class CalendarVersion(models.Model):
    """One row whose token changes with every calendar write, in the writer's transaction.

    Each process keeps the calendar in memory and reloads it when the token differs, so a
    change made by one process reaches the others (see ``days._snapshot``). A random token,
    not a counter: a rolled-back write can never alias a later committed one."""

    token = models.CharField(max_length=32, default=new_token)

    class Meta:
        verbose_name = verbose_name_plural = "日历版本"

    def __str__(self) -> str:
        return self.token
