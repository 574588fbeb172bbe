"""Time-limited cases (办理时限): one row per running clock, whatever app owns the object."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LimitUnit(models.TextChoices):
    WORKING = "working", _("工作日")
    NATURAL = "natural", _("自然日")


class CaseStatus(models.TextChoices):
    # "正常" and "暂停计时" also say other things elsewhere (an active account, a note).
    NORMAL = "normal", pgettext_lazy("status", "正常")
    YELLOW = "yellow", _("黄牌预警")
    RED = "red", _("红牌超期")
    PAUSED = "paused", pgettext_lazy("status", "暂停计时")
    FINISHED = "finished", _("已办结")


OPEN_STATUSES = (CaseStatus.NORMAL, CaseStatus.YELLOW, CaseStatus.RED, CaseStatus.PAUSED)
RUNNING_STATUSES = (CaseStatus.NORMAL, CaseStatus.YELLOW, CaseStatus.RED)


def live_status_expression(today: date) -> Case:
    """The status as of ``today``, from the stored dates (same rule as ``refresh_statuses``)."""
    return Case(
        When(status__in=[CaseStatus.FINISHED, CaseStatus.PAUSED], then="status"),
        When(due_date__lt=today, then=Value(CaseStatus.RED)),
        When(yellow_from__lte=today, then=Value(CaseStatus.YELLOW)),
        default=Value(CaseStatus.NORMAL),
        output_field=models.CharField(),
    )


class TimedCaseQuerySet(models.QuerySet):
    def open(self) -> TimedCaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def with_live_status(self, today: date) -> TimedCaseQuerySet:
        return self.annotate(live_status=live_status_expression(today))


class TimedCase(models.Model):
    case_type = models.CharField("时限类型", max_length=60, db_index=True)
    object_type = models.CharField("业务对象类型", max_length=100)
    object_id = models.CharField("业务对象标识", max_length=64)
    title = models.CharField("标题", max_length=200)
    # Indexed by ``timelimits_dept_status`` below (department first), not by a lone FK index.
    department = models.ForeignKey("org.Department", models.PROTECT, related_name="+", verbose_name="承办部门",
                                   db_index=False)
    region = models.ForeignKey("org.Region", models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="区划")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name="经办人")
    started_on = models.DateField("起算日")
    limit_days = models.PositiveIntegerField("时限")
    limit_unit = models.CharField("时限单位", max_length=8, choices=LimitUnit.choices, default=LimitUnit.WORKING)
    # The statutory limit (法定时限) beside the promised one (承诺时限, ``limit_days``): the
    # status colours follow the promise; supervision also flags statutory overruns.
    statutory_days = models.PositiveIntegerField("法定时限", null=True, blank=True)
    statutory_due_date = models.DateField("法定到期日", null=True, blank=True)
    # What the case is about, for filtering across apps (e.g. the service item).
    subject_code = models.CharField("事项编码", max_length=64, blank=True, db_index=True)
    subject_name = models.CharField("事项名称", max_length=200, blank=True)
    party = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name="申请人/当事人")
    extended_days = models.PositiveIntegerField("已延长", default=0)
    paused_days = models.PositiveIntegerField("已暂停（不计时）", default=0)
    due_date = models.DateField("到期日")
    due_provisional = models.BooleanField("到期日为暂定", default=False)
    yellow_days = models.PositiveSmallIntegerField("预警阈值")
    yellow_from = models.DateField("预警起始日")
    paused_since = models.DateField("暂停起始日", null=True, blank=True)
    # How often the clock was stopped: a finishing case with none skips reading its pauses.
    pause_count = models.PositiveIntegerField("暂停次数", default=0)
    finished_on = models.DateField("办结日", null=True, blank=True)
    finished_late = models.BooleanField("超期办结", default=False)
    status = models.CharField("状态", max_length=10, choices=CaseStatus.choices, default=CaseStatus.NORMAL)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = TimedCaseQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = verbose_name_plural = "时限案件"
        indexes = [
            # The daily refresh reads each running status by a date range; the yellow index
            # also carries due_date so "yellow, not yet red" is decided inside the index.
            # On PostgreSQL the monitor's indexes carry the other dates it counts by
            # (INCLUDE; SQLite ignores it), so its counts are index-only scans instead of
            # reading millions of rows: overruns of the statutory limit, and by region or
            # department the live colours. Each monitor page reads them in due-date order.
            models.Index(fields=["status", "due_date"], include=["statutory_due_date"],
                         name="timelimits_status_due"),
            models.Index(fields=["status", "yellow_from", "due_date"], name="timelimits_status_yellow"),
            models.Index(fields=["object_type", "object_id"], name="timelimits_object"),
            models.Index(fields=["region", "status", "due_date"], include=["yellow_from", "statutory_due_date"],
                         name="timelimits_region_status"),
            models.Index(fields=["department", "status", "due_date"], include=["yellow_from", "statutory_due_date"],
                         name="timelimits_dept_status"),
            # Supervision's month-by-month trend.
            models.Index(fields=["started_on"], name="timelimits_started_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CaseStatus.FINISHED, finished_on__isnull=False)
                | (~Q(status=CaseStatus.FINISHED) & Q(finished_on__isnull=True)),
                name="timelimits_finished_has_date"),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.PAUSED, paused_since__isnull=False)
                | (~Q(status=CaseStatus.PAUSED) & Q(paused_since__isnull=True)),
                name="timelimits_paused_has_date"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.FINISHED


class CasePause(models.Model):
    case = models.ForeignKey(TimedCase, models.CASCADE, related_name="pauses", verbose_name="案件")
    reason = models.CharField("暂停原因", max_length=200)
    started_on = models.DateField("暂停日")
    ended_on = models.DateField("恢复日", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="操作人")

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name = verbose_name_plural = "暂停计时"
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(ended_on__isnull=True),
                                    name="timelimits_one_open_pause"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.started_on}–{self.ended_on or ''}"


class CaseExtension(models.Model):
    case = models.ForeignKey(TimedCase, models.CASCADE, related_name="extensions", verbose_name="案件")
    days = models.PositiveIntegerField("延长天数")
    reason = models.CharField("延期理由", max_length=200)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name="批准人")
    created_at = models.DateTimeField("批准时间", auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = verbose_name_plural = "延期"

    def __str__(self) -> str:
        return f"{self.case_id} +{self.days}"
