"""E-supervision (电子监察): warnings, supervisor directives, 好差评 ratings and follow-ups,
per-case outcomes and monthly department scorecards. Every case is seen through
``core.timelimits.TimedCase``; nothing here knows which app owns a case."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class WarningLevel(models.TextChoices):
    YELLOW = "yellow", _("黄牌预警")
    RED = "red", _("红牌超期")


class Warning(models.Model):
    """One warning sent about one case on one day (the unique constraint makes the daily run idempotent)."""

    case = models.ForeignKey("timelimits.TimedCase", models.CASCADE, related_name="+", verbose_name="案件")
    level = models.CharField("级别", max_length=8, choices=WarningLevel.choices)
    # 0: the handler (yellow); 1: department head; 2: parent department's head; 3: supervisors.
    escalation_level = models.PositiveSmallIntegerField("升级层级", default=0)
    overdue_days = models.PositiveIntegerField("超期工作日", default=0)
    recipients = models.JSONField("接收人", default=list)
    sent_on = models.DateField("发送日", db_index=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = verbose_name_plural = "预警记录"
        constraints = [
            models.UniqueConstraint(fields=["case", "level", "sent_on"], name="supervision_warning_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.level}/{self.escalation_level} {self.sent_on}"


class DirectiveKind(models.TextChoices):
    URGE = "urge", _("督办")
    CORRECTION = "correction", _("纠错")
    ACCOUNTABILITY = "accountability", _("问责")


class DirectiveStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复待审核")
    CLOSED = "closed", _("已办结")


class Directive(models.Model):
    """督办 / 纠错 / 问责: a supervisor's instruction to a department, itself a time-limited case."""

    kind = models.CharField("类型", max_length=16, choices=DirectiveKind.choices)
    department = models.ForeignKey("org.Department", models.PROTECT, related_name="+", verbose_name="责任部门")
    about_case = models.ForeignKey("timelimits.TimedCase", models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="所涉案件")
    person_name = models.CharField("责任人", max_length=100, blank=True)
    message = models.TextField("督办事项/问题/问责事实")
    requirement = models.TextField("整改要求/处理措施", blank=True)
    reply_days = models.PositiveSmallIntegerField("答复时限（工作日）")
    clock = models.OneToOneField("timelimits.TimedCase", models.PROTECT, null=True, related_name="+",
                                 verbose_name="时限案件")
    status = models.CharField("状态", max_length=10, choices=DirectiveStatus.choices, default=DirectiveStatus.OPEN)
    answer = models.TextField("答复/整改情况", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="答复人")
    answered_on = models.DateField("答复日", null=True, blank=True)
    answered_late = models.BooleanField("逾期答复", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name="监察人员")
    created_at = models.DateTimeField("发出时间", auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name="办结人")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "督办纠错问责"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class RatingInvitation(models.Model):
    """The party of a finished case is invited to rate it (一事一评)."""

    case = models.OneToOneField("timelimits.TimedCase", models.CASCADE, related_name="+", verbose_name="案件")
    party = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name="评价人")
    created_at = models.DateTimeField("邀请时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "评价邀请"

    def __str__(self) -> str:
        return f"{self.case_id}"


class RatingLevel(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASIC = 3, _("基本满意")
    UNSATISFIED = 2, _("不满意")
    VERY_UNSATISFIED = 1, _("非常不满意")


SUB_INDICATORS = (
    ("overall", _("整体满意度")), ("efficiency", _("办事效率")), ("guide_accuracy", _("办事指南精确度")),
    ("convenience", _("办事便捷度")), ("usability", _("平台操作性")),
)


class Rating(models.Model):
    """好差评: one per case; a bad one (1–2) by a real-name party opens a follow-up."""

    case = models.OneToOneField("timelimits.TimedCase", models.CASCADE, related_name="+", verbose_name="案件")
    party = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="评价人")
    department = models.ForeignKey("org.Department", models.PROTECT, related_name="+", verbose_name="被评部门")
    subject_name = models.CharField("事项", max_length=200, blank=True)
    level = models.PositiveSmallIntegerField("评价等级", choices=RatingLevel.choices, validators=LEVEL_VALIDATORS)
    overall = models.PositiveSmallIntegerField("整体满意度", validators=LEVEL_VALIDATORS)
    efficiency = models.PositiveSmallIntegerField("办事效率", validators=LEVEL_VALIDATORS)
    guide_accuracy = models.PositiveSmallIntegerField("办事指南精确度", validators=LEVEL_VALIDATORS)
    convenience = models.PositiveSmallIntegerField("办事便捷度", validators=LEVEL_VALIDATORS)
    usability = models.PositiveSmallIntegerField("平台操作性", validators=LEVEL_VALIDATORS)
    comment = models.TextField("意见建议", blank=True)
    real_name = models.BooleanField("实名评价", default=True)
    rated_on = models.DateField("评价日", db_index=True)
    excluded = models.BooleanField("已剔除（申诉成立）", default=False)
    excluded_reason = models.CharField("剔除理由", max_length=500, blank=True)
    created_at = models.DateTimeField("评价时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "好差评"
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="supervision_rating_level_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.level}"

    @property
    def is_bad(self) -> bool:
        return self.level <= 2


class FollowUpStatus(models.TextChoices):
    CONTACT = "contact", _("待回访")
    VERIFY = "verify", _("待核实")
    RECTIFY = "rectify", _("待整改")
    DONE = "done", _("已办结")
    EXCLUDED = "excluded", pgettext_lazy("status", "申诉成立，已剔除")  # also a note, lower case


class FollowUp(models.Model):
    """A bad rating's follow-up (回访 → 核实 → 整改), itself a time-limited case of the department."""

    rating = models.OneToOneField(Rating, models.CASCADE, related_name="follow_up", verbose_name="差评")
    department = models.ForeignKey("org.Department", models.PROTECT, related_name="+", verbose_name="责任部门")
    clock = models.OneToOneField("timelimits.TimedCase", models.PROTECT, related_name="+", verbose_name="时限案件")
    status = models.CharField("状态", max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.CONTACT)
    founded = models.BooleanField("差评属实", null=True)
    completed_on = models.DateField("办结日", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "差评整改"

    def __str__(self) -> str:
        return f"{self.rating_id} {self.status}"


class FollowUpStep(models.Model):
    follow_up = models.ForeignKey(FollowUp, models.CASCADE, related_name="steps", verbose_name="差评整改")
    step = models.CharField("环节", max_length=10, choices=FollowUpStatus.choices)
    note = models.TextField("情况说明")
    founded = models.BooleanField("差评属实", null=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="经办人")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = verbose_name_plural = "整改环节"

    def __str__(self) -> str:
        return f"{self.follow_up_id} {self.step}"


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("申诉成立")
    REJECTED = "rejected", _("申诉不成立")


class RatingAppeal(models.Model):
    rating = models.ForeignKey(Rating, models.CASCADE, related_name="appeals", verbose_name="评价")
    reason = models.TextField("申诉理由")
    status = models.CharField("状态", max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="申诉人")
    filed_at = models.DateTimeField("申诉时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="审核人")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = verbose_name_plural = "差评申诉"
        constraints = [
            models.UniqueConstraint(fields=["rating"], condition=Q(status="pending"),
                                    name="supervision_one_pending_appeal"),
        ]

    def __str__(self) -> str:
        return f"{self.rating_id} {self.status}"


class CaseOutcome(models.Model):
    """A finished case's figures, computed once when it finishes (scorecards aggregate these)."""

    case = models.OneToOneField("timelimits.TimedCase", models.CASCADE, primary_key=True, related_name="+")
    case_type = models.CharField(max_length=60)
    department = models.ForeignKey("org.Department", models.PROTECT, related_name="+")
    subject_name = models.CharField(max_length=200, blank=True)
    finished_on = models.DateField()
    month = models.DateField("月份（当月1日）")
    late = models.BooleanField(default=False)
    statutory_late = models.BooleanField(default=False)
    working_days_used = models.IntegerField()
    limit_days = models.PositiveIntegerField()
    supplemented = models.BooleanField("曾补正", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "办结统计"
        indexes = [
            # covering: scorecards and the trend read this index only, never the table
            models.Index(fields=["month", "department", "late", "supplemented", "working_days_used", "limit_days"],
                         name="supervision_outcome_month"),
            # covering: the dashboard's items with the most late cases
            models.Index(fields=["month", "late", "subject_name"], name="supervision_outcome_late"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}"


class ScoreWeights(models.Model):
    """The scorecard's weights (one row, pk=1), editable by supervisors."""

    on_time = models.PositiveSmallIntegerField(_("按时办结率权重"), default=30)
    speed = models.PositiveSmallIntegerField(_("办理提速权重"), default=15)
    supplement = models.PositiveSmallIntegerField(_("一次办成（无补正）权重"), default=15)
    satisfaction = models.PositiveSmallIntegerField(_("满意率权重"), default=25)
    rectification = models.PositiveSmallIntegerField(_("差评整改率权重"), default=15)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    FIELDS = ("on_time", "speed", "supplement", "satisfaction", "rectification")

    class Meta:
        verbose_name = verbose_name_plural = "考核权重"

    def __str__(self) -> str:
        return "考核权重"

    @classmethod
    def current(cls) -> ScoreWeights:
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class Scorecard(models.Model):
    """A department's stored scorecard of one month (``compute_scorecards``)."""

    month = models.DateField("月份")
    department = models.ForeignKey("org.Department", models.CASCADE, related_name="+", verbose_name="部门")
    finished = models.PositiveIntegerField("办结数", default=0)
    on_time = models.PositiveIntegerField("按时办结数", default=0)
    on_time_rate = models.DecimalField("按时办结率", max_digits=6, decimal_places=4, null=True)
    avg_working_days = models.DecimalField("平均用时（工作日）", max_digits=8, decimal_places=2, null=True)
    overdue = models.PositiveIntegerField("超期数", default=0)
    supplement_rate = models.DecimalField("补正率", max_digits=6, decimal_places=4, null=True)
    ratings = models.PositiveIntegerField("有效评价数", default=0)
    satisfaction_rate = models.DecimalField("满意率", max_digits=6, decimal_places=4, null=True)
    bad_ratings = models.PositiveIntegerField("差评数", default=0)
    rectification_rate = models.DecimalField("差评整改率", max_digits=6, decimal_places=4, null=True)
    score = models.DecimalField("综合得分", max_digits=6, decimal_places=2, default=Decimal("0"))
    rank = models.PositiveIntegerField("排名", default=0)
    computed_at = models.DateTimeField("计算时间", auto_now=True)

    class Meta:
        ordering = ["month", "rank"]
        verbose_name = verbose_name_plural = "部门月度考核"
        constraints = [
            models.UniqueConstraint(fields=["month", "department"], name="supervision_scorecard_month_dept"),
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.month:%Y-%m}"
