"""Applications (办件): one per item applied for; a bundle application groups several."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtong.core.calendar import days
from zhengtong.core.identifiers import mask_id_number, mask_name
from zhengtong.lib.labels import source_text


class Channel(models.TextChoices):
    ONLINE = "online", _("网上申报")
    WINDOW = "window", _("窗口受理")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已申报，待受理")
    SUPPLEMENTING = "supplementing", _("补正中")
    # The same words are a verb elsewhere (the clerk's button, the timeline), so the status
    # labels that read differently in English as a state carry a context.
    REFUSED = "refused", pgettext_lazy("status", "不予受理")
    ACCEPTED = "accepted", _("已受理")
    REVIEWING = "reviewing", _("审查中")
    SPECIAL_STEP = "special_step", _("特殊环节")
    GRANTED = "granted", pgettext_lazy("status", "准予许可")
    DENIED = "denied", pgettext_lazy("status", "不予许可")
    WITHDRAWN = "withdrawn", _("已撤回")


# Before a decision the applicant may withdraw; after these nothing changes the outcome.
OPEN_STATUSES = (Status.SUBMITTED, Status.SUPPLEMENTING, Status.ACCEPTED, Status.REVIEWING, Status.SPECIAL_STEP)
CLOSED_STATUSES = (Status.REFUSED, Status.GRANTED, Status.DENIED, Status.WITHDRAWN)


class BundleApplication(models.Model):
    number = models.CharField("办件编号", max_length=32, unique=True)
    bundle = models.ForeignKey("catalog.Bundle", models.PROTECT, related_name="applications", verbose_name="一件事")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="bundle_applications",
                                  verbose_name="申请人")
    form_data = models.JSONField("申请表", default=dict)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField("申报时间", null=True, blank=True)
    finished_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "一件事办件"

    def __str__(self) -> str:
        return self.number


class Application(models.Model):
    number = models.CharField("办件编号", max_length=32, unique=True)
    item_version = models.ForeignKey("catalog.ItemVersion", models.PROTECT, related_name="applications",
                                     verbose_name="事项版本")
    bundle_application = models.ForeignKey(BundleApplication, models.CASCADE, null=True, blank=True,
                                           related_name="applications", verbose_name="所属一件事")
    department = models.ForeignKey("org.Department", models.PROTECT, related_name="applications",
                                   verbose_name="承办部门")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="applications",
                                  verbose_name="申请人")
    applicant_name = models.CharField("申请人名称", max_length=150)
    applicant_id_number = models.CharField("证件号码", max_length=18)  # ID number or credit code
    contact_mobile = models.CharField("联系电话", max_length=16)
    channel = models.CharField("申报渠道", max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    form_data = models.JSONField("申请表", default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="录入人")  # the clerk, for window intake
    submitted_at = models.DateTimeField("申报时间", null=True, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="受理人")
    refusal_reason = models.TextField("不予受理理由", blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="决定人")
    decision_reason = models.TextField("决定理由", blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    # The clocks: acceptance (受理时限) from submission, processing (承诺/法定时限) from acceptance.
    acceptance_case = models.ForeignKey("timelimits.TimedCase", models.SET_NULL, null=True, blank=True,
                                        related_name="+", verbose_name="受理时限")
    processing_case = models.ForeignKey("timelimits.TimedCase", models.SET_NULL, null=True, blank=True,
                                        related_name="+", verbose_name="办理时限")
    delivery = models.CharField("结果送达方式", max_length=12, blank=True,
                                choices=[("download", _("网上下载")), ("window", _("窗口领取")),
                                         ("post", _("邮寄送达"))])
    delivery_address = models.CharField("邮寄地址", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "办件"
        indexes = [models.Index(fields=["department", "status"], name="applications_dept_status")]
        constraints = [
            models.CheckConstraint(condition=~Q(status="refused") | ~Q(refusal_reason=""),
                                   name="applications_refusal_has_reason"),
            models.CheckConstraint(condition=~Q(status="denied") | ~Q(decision_reason=""),
                                   name="applications_denial_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.item_version.name}"

    @property
    def applicant_is_person(self) -> bool:
        """A citizen ID (17 digits and a check character) rather than an enterprise credit code."""
        return len(self.applicant_id_number) == 18 and self.applicant_id_number[:17].isdigit()

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.applicant_id_number) if self.applicant_is_person else self.applicant_id_number

    @property
    def masked_applicant_name(self) -> str:
        """A person's name is masked in lists; an enterprise's name is public (企业信用信息公示)."""
        return mask_name(self.applicant_name) if self.applicant_is_person else self.applicant_name

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class MaterialStatus(models.TextChoices):
    PROVIDED = "provided", _("已提交")
    SHARED = "shared", _("共享获取（免提交）")
    DEFECTIVE = "defective", _("需补正")
    ACCEPTED = "accepted", _("审核通过")


class ProvidedMaterial(models.Model):
    application = models.ForeignKey(Application, models.CASCADE, related_name="materials", verbose_name="办件")
    material = models.ForeignKey("catalog.Material", models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name="对应材料")
    name = models.CharField("材料名称", max_length=200)
    attachment = models.ForeignKey("files.Attachment", models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name="附件")
    status = models.CharField("状态", max_length=12, choices=MaterialStatus.choices, default=MaterialStatus.PROVIDED)
    note = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "id"]
        verbose_name = verbose_name_plural = "已交材料"

    def __str__(self) -> str:
        return self.name


class SupplementStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("待批准（部门负责人或监察人员）")
    OPEN = "open", _("待申请人补正")
    ANSWERED = "answered", _("已补正")
    REJECTED = "rejected", _("未获批准")


class SupplementRequest(models.Model):
    """一次性告知: every missing or defective material listed at once; pauses the clock."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="supplements", verbose_name="办件")
    sequence = models.PositiveSmallIntegerField("第几次补正", default=1)
    items = models.JSONField("补正清单")  # [{"material_id": 3, "name": "...", "problem": "缺少|不符合要求", "note": ""}]
    note = models.TextField("补充说明", blank=True)
    status = models.CharField("状态", max_length=20, choices=SupplementStatus.choices, default=SupplementStatus.OPEN)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                     verbose_name="告知人")
    requested_at = models.DateTimeField("告知时间", auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="批准人")
    answered_at = models.DateTimeField("补正时间", null=True, blank=True)
    # The status the case returns to when the applicant has supplemented.
    return_status = models.CharField("补正后状态", max_length=16, blank=True)

    class Meta:
        ordering = ["application", "sequence"]
        verbose_name = verbose_name_plural = "补正告知"
        constraints = [
            models.UniqueConstraint(fields=["application", "sequence"], name="applications_supplement_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.application.number} 第{self.sequence}次补正"


class SpecialStepKind(models.TextChoices):
    HEARING = "hearing", _("听证")
    INSPECTION = "inspection", _("现场核查")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    TESTING = "testing", _("检验检测")
    PUBLIC_NOTICE = "public_notice", _("公示")


class SpecialStep(models.Model):
    """A special step (特殊环节), excluded from the time limits: every open clock of the case
    (the processing clock and the open approval tasks' clocks) is paused while it runs."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="special_steps", verbose_name="办件")
    kind = models.CharField("环节", max_length=16, choices=SpecialStepKind.choices)
    # The step as the item version lists it (name, maximum working days, basis), copied at the
    # start so a later version of the guide does not change a running step.
    name = models.CharField("事项所列环节", max_length=100, blank=True)
    max_days = models.PositiveIntegerField("最长时限（工作日）", null=True, blank=True)
    basis = models.TextField("设定依据", blank=True)
    started_on = models.DateField("开始日期")
    planned_end_on = models.DateField("最迟结束日", null=True, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    note = models.TextField("情况记录", blank=True)
    # The status the case returns to when the step ends.
    return_status = models.CharField("结束后状态", max_length=16, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name="记录人")
    # The clocks this step paused, so that ending it resumes exactly those.
    paused_clocks = models.ManyToManyField("timelimits.TimedCase", blank=True, related_name="+",
                                           verbose_name="暂停的时限")
    overrun_warned_on = models.DateField("超期提醒日", null=True, blank=True)

    class Meta:
        ordering = ["application", "started_on"]
        verbose_name = verbose_name_plural = "特殊环节"
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                                   name="applications_special_step_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}"

    @property
    def label(self) -> str:
        """The guide's name for the step when it differs from the kind (现场检查 for 现场核查)."""
        kind = self.get_kind_display()
        # The guide's names are Chinese, whatever the reader's language.
        if self.name and self.name != source_text(SpecialStepKind(self.kind).label):
            return f"{kind}（{self.name}）"
        return kind

    def overrun_days(self, today: date | None = None) -> int:
        """Working days past the latest end: up to ``today`` while running, up to the end once ended."""
        if self.planned_end_on is None:
            return 0
        end = self.ended_on or today or timezone.localdate()
        return max(0, days.working_days_between(self.planned_end_on, end))

    @property
    def overrun(self) -> int:
        return self.overrun_days()


class ApplicationEvent(models.Model):
    """The case's timeline as the applicant and staff see it (the audit log holds the proof)."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="events", verbose_name="办件")
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name="操作人")
    action = models.CharField("环节", max_length=60)
    from_status = models.CharField("原状态", max_length=16, blank=True)
    to_status = models.CharField("新状态", max_length=16, blank=True)
    note = models.TextField("说明", blank=True)
    public = models.BooleanField("申请人可见", default=True)

    class Meta:
        ordering = ["application", "at", "id"]
        verbose_name = verbose_name_plural = "办理过程"

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"


class NumberSequence(models.Model):
    """Per-region, per-day counters for case numbers (row-locked while incremented)."""

    key = models.CharField(max_length=20, unique=True)  # "361200-20261124"
    value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "编号序列"

    def __str__(self) -> str:
        return f"{self.key}:{self.value}"
