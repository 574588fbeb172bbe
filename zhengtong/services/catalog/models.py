"""The service item catalog (事项库): items, their versioned guides (办事指南), materials,
life events and bundles (一件事一次办). Guide elements follow STANDARDS.md."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    LICENSING = "licensing", _("行政许可")
    CONFIRMATION = "confirmation", _("行政确认")
    ADJUDICATION = "adjudication", _("行政裁决")
    BENEFIT = "benefit", _("行政给付")
    REWARD = "reward", _("行政奖励")
    FILING = "filing", _("行政备案")
    OTHER_POWER = "other_power", _("其他行政权力")
    PUBLIC_SERVICE = "public_service", _("公共服务")


class OnlineDepth(models.IntegerChoices):
    INFO = 1, _("一级：信息发布")
    DOWNLOAD = 2, _("二级：表格下载")
    PRE_REVIEW = 3, _("三级：在线预审")
    FULL = 4, _("四级：全程网办")


class Audience(models.TextChoices):
    CITIZEN = "citizen", _("个人")
    ENTERPRISE = "enterprise", _("法人")
    BOTH = "both", _("个人和法人")


class LifeEvent(models.Model):
    """A life event or business stage (出生、就业、开办企业…) by which guides are browsed."""

    code = models.SlugField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    audience = models.CharField("服务对象", max_length=12, choices=Audience.choices, default=Audience.BOTH)
    sort_order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = verbose_name_plural = "主题"

    def __str__(self) -> str:
        return self.name


class ServiceItem(models.Model):
    """The stable identity of an item; what it says lives in its versions."""

    code = models.CharField("事项编码", max_length=64, unique=True)
    department = models.ForeignKey("org.Department", models.PROTECT, related_name="service_items",
                                   verbose_name="实施机关")
    region = models.ForeignKey("org.Region", models.PROTECT, related_name="service_items", verbose_name="实施区划")
    life_events = models.ManyToManyField(LifeEvent, blank=True, related_name="items", verbose_name="主题")
    current = models.ForeignKey("ItemVersion", models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name="现行版本")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "政务服务事项"

    def __str__(self) -> str:
        return self.current.name if self.current_id else self.code


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已停用")


class ItemVersion(models.Model):
    """One version of an item's guide. Editing a published version creates a new draft;
    running applications keep pointing at the version they were made under."""

    item = models.ForeignKey(ServiceItem, models.CASCADE, related_name="versions", verbose_name="事项")
    version = models.PositiveIntegerField("版本号")
    status = models.CharField("状态", max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    name = models.CharField("事项名称", max_length=200)
    kind = models.CharField("事项类型", max_length=20, choices=ItemKind.choices)
    audience = models.CharField("服务对象", max_length=12, choices=Audience.choices, default=Audience.BOTH)
    legal_basis = models.TextField("设定依据")
    conditions = models.TextField("申请条件")
    process_description = models.TextField("办理流程")
    statutory_days = models.PositiveIntegerField("法定办结时限（工作日）")
    promised_days = models.PositiveIntegerField("承诺办结时限（工作日）")
    acceptance_days = models.PositiveIntegerField("受理时限（工作日）", default=5)
    # [{"name": "现场核查", "max_days": 10, "basis": "..."}] — excluded from the statutory clock
    special_steps = models.JSONField("特殊环节", default=list, blank=True)
    # [{"name": "工本费", "amount": "10.00", "basis": "..."}] — empty list: free of charge
    fees = models.JSONField("收费标准", default=list, blank=True)
    place = models.CharField("办理地点", max_length=200)
    hours = models.CharField("办理时间", max_length=200, default="工作日 上午9:00-12:00 下午13:30-17:00")
    online_depth = models.PositiveSmallIntegerField("网上办理深度", choices=OnlineDepth.choices,
                                                    default=OnlineDepth.FULL)
    visits_needed = models.PositiveSmallIntegerField("到现场次数", default=0)
    consultation = models.CharField("咨询方式", max_length=200)
    complaint = models.CharField("监督投诉方式", max_length=200)
    faq = models.JSONField("常见问题", default=list, blank=True)  # [{"q": "...", "a": "..."}]
    form_schema = models.JSONField("申请表（JSON Schema）", default=dict, blank=True)
    process_key = models.CharField("审批流程", max_length=60, default="simple")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="发布人")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "-version"]
        verbose_name = verbose_name_plural = "事项版本"
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="catalog_itemversion_unique"),
            models.UniqueConstraint(fields=["item"], condition=Q(status="draft"),
                                    name="catalog_one_draft_per_item"),
            models.CheckConstraint(condition=Q(promised_days__lte=models.F("statutory_days")),
                                   name="catalog_promise_within_statute"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"

    @property
    def is_free(self) -> bool:
        return not self.fees


class OriginalOrCopy(models.TextChoices):
    ORIGINAL = "original", _("原件")
    COPY = "copy", _("复印件")
    BOTH = "both", _("原件和复印件")
    ELECTRONIC = "electronic", _("电子材料")


class TrustLevel(models.TextChoices):
    """Certificate trust levels: A issued and sealed by the agency itself … D self-declared."""

    A = "A", _("A级：本机关签发")
    B = "B", _("B级：其他机关签发")
    C = "C", _("C级：第三方出具")
    D = "D", _("D级：申请人承诺")


class Material(models.Model):
    version = models.ForeignKey(ItemVersion, models.CASCADE, related_name="materials", verbose_name="事项版本")
    name = models.CharField("材料名称", max_length=200)
    form = models.CharField("材料形式", max_length=12, choices=OriginalOrCopy.choices, default=OriginalOrCopy.ELECTRONIC)
    count = models.PositiveSmallIntegerField("份数", default=1)
    required = models.BooleanField("必要", default=True)
    trust_level = models.CharField("可信等级", max_length=1, choices=TrustLevel.choices, default=TrustLevel.C)
    # The platform fetches it from shared data (e.g. the business licence from the legal-entity
    # registry), so the applicant need not upload it (免提交).
    shared_source = models.CharField("共享数据来源", max_length=100, blank=True)
    note = models.CharField("填报说明", max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        ordering = ["version", "sort_order", "id"]
        verbose_name = verbose_name_plural = "申请材料"

    def __str__(self) -> str:
        return self.name

    @property
    def fetched_from_share(self) -> bool:
        return bool(self.shared_source)


class Bundle(models.Model):
    """一件事一次办: several items applied for with one form and one set of materials."""

    code = models.SlugField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    description = models.TextField("说明", blank=True)
    items = models.ManyToManyField(ServiceItem, related_name="bundles", verbose_name="包含事项")
    life_event = models.ForeignKey(LifeEvent, models.SET_NULL, null=True, blank=True, related_name="bundles",
                                   verbose_name="主题")
    lead_department = models.ForeignKey("org.Department", models.PROTECT, related_name="+",
                                        verbose_name="牵头部门")
    form_schema = models.JSONField("合并申请表（JSON Schema）", default=dict, blank=True)
    promised_days = models.PositiveIntegerField("承诺办结时限（工作日）")
    published = models.BooleanField("已发布", default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "一件事"

    def __str__(self) -> str:
        return self.name
