"""一单式收费 (one bill per case or bundle, paid through a gateway) and the e-licences
(电子证照) that are a granted case's result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhengtong.core.identifiers import mask_id_number


class BillStatus(models.TextChoices):
    UNPAID = "unpaid", _("待缴费")
    PAID = "paid", _("已缴费")
    CANCELLED = "cancelled", _("已作废")
    REFUNDED = "refunded", _("已退费")


class Bill(models.Model):
    """One bill listing every fee of a case, or of every item of a bundle (一单式收费)."""

    number = models.CharField("收费单号", max_length=24, unique=True)
    application = models.ForeignKey("applications.Application", models.PROTECT, null=True, blank=True,
                                    related_name="bills", verbose_name="办件")
    bundle_application = models.ForeignKey("applications.BundleApplication", models.PROTECT, null=True,
                                           blank=True, related_name="bills", verbose_name="一件事办件")
    department = models.ForeignKey("org.Department", models.PROTECT, related_name="bills",
                                   verbose_name="开单部门")
    payer = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="bills",
                              verbose_name="缴费人")
    payer_name = models.CharField("缴费人名称", max_length=150)
    total = models.DecimalField("合计金额（元）", max_digits=12, decimal_places=2)
    status = models.CharField("状态", max_length=10, choices=BillStatus.choices, default=BillStatus.UNPAID,
                              db_index=True)
    created_at = models.DateTimeField("开单时间", auto_now_add=True)
    paid_at = models.DateTimeField("缴费时间", null=True, blank=True)
    refunded_at = models.DateTimeField("退费时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "收费单"
        constraints = [
            models.CheckConstraint(condition=Q(application__isnull=False, bundle_application__isnull=True)
                                   | Q(application__isnull=True, bundle_application__isnull=False),
                                   name="billing_bill_one_target"),
            models.CheckConstraint(condition=Q(total__gt=0), name="billing_bill_total_positive"),
            models.CheckConstraint(condition=~Q(status="paid") | Q(paid_at__isnull=False),
                                   name="billing_bill_paid_has_time"),
            models.CheckConstraint(condition=~Q(status="refunded") | Q(refunded_at__isnull=False),
                                   name="billing_bill_refunded_has_time"),
            # Idempotence of issue_bill: one live bill per case or bundle.
            models.UniqueConstraint(fields=["application"], condition=~Q(status="cancelled"),
                                    name="billing_one_live_bill_per_application"),
            models.UniqueConstraint(fields=["bundle_application"], condition=~Q(status="cancelled"),
                                    name="billing_one_live_bill_per_bundle"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def case_number(self) -> str:
        target = self.application or self.bundle_application
        return target.number if target else ""


class BillLine(models.Model):
    bill = models.ForeignKey(Bill, models.CASCADE, related_name="lines", verbose_name="收费单")
    item_name = models.CharField("事项名称", max_length=200)
    fee_name = models.CharField("收费项目", max_length=100)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    basis = models.TextField("收费依据", blank=True)

    class Meta:
        ordering = ["bill", "id"]
        verbose_name = verbose_name_plural = "收费明细"

    def __str__(self) -> str:
        return f"{self.item_name} {self.fee_name} {self.amount}"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("待支付")
    SUCCEEDED = "succeeded", _("支付成功")
    FAILED = "failed", _("支付失败")
    DUPLICATE = "duplicate", _("重复支付（待退款）")
    REFUNDED = "refunded", _("已退款")


class Payment(models.Model):
    """One payment attempt at a gateway; the gateway's callback settles it."""

    bill = models.ForeignKey(Bill, models.PROTECT, related_name="payments", verbose_name="收费单")
    gateway = models.CharField("支付渠道", max_length=32)
    gateway_ref = models.CharField("渠道流水号", max_length=64, unique=True)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    status = models.CharField("状态", max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    raw_callback = models.JSONField("回调原文", null=True, blank=True)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    settled_at = models.DateTimeField("回调时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "支付记录"

    def __str__(self) -> str:
        return self.gateway_ref


class RefundKind(models.TextChoices):
    CASE_CLOSED = "case_closed", _("办件撤回或不予许可，全额退费")
    DUPLICATE = "duplicate", _("重复支付，原路退回")


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("退款处理中")
    SUCCEEDED = "succeeded", _("退款成功")
    FAILED = "failed", _("退款失败")


class Refund(models.Model):
    """Money returned to the payer through the gateway of the payment it came by (原路退回);
    the gateway's refund callback settles it, as a payment's callback settles a payment."""

    bill = models.ForeignKey(Bill, models.PROTECT, related_name="refunds", verbose_name="收费单")
    payment = models.ForeignKey(Payment, models.PROTECT, related_name="refunds", verbose_name="原支付记录")
    kind = models.CharField("退费类型", max_length=12, choices=RefundKind.choices)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    reason = models.TextField("退费说明")
    gateway = models.CharField("支付渠道", max_length=32)
    gateway_ref = models.CharField("退款流水号", max_length=64, unique=True)
    status = models.CharField("状态", max_length=10, choices=RefundStatus.choices, default=RefundStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                     verbose_name="经办人")
    requested_at = models.DateTimeField("发起时间", auto_now_add=True)
    settled_at = models.DateTimeField("回调时间", null=True, blank=True)
    raw_callback = models.JSONField("回调原文", null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = verbose_name_plural = "退费记录"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_refund_amount_positive"),
            # A payment is returned at most once; a failed refund may be retried.
            models.UniqueConstraint(fields=["payment"], condition=~Q(status="failed"),
                                    name="billing_one_live_refund_per_payment"),
        ]

    def __str__(self) -> str:
        return self.gateway_ref


class LicenseStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已注销")


class DeliveryMethod(models.TextChoices):
    DOWNLOAD = "download", _("网上下载")
    WINDOW = "window", _("窗口领取")
    POST = "post", _("邮寄送达")


class License(models.Model):
    """The sealed e-licence a granted case produces."""

    number = models.CharField("证照编号", max_length=48, unique=True)  # URL-safe: "SF-SCJG-2026-000123"
    word_number = models.CharField("文号", max_length=60)  # as printed: "示市监许〔2026〕000123号"
    application = models.OneToOneField("applications.Application", models.PROTECT, related_name="license",
                                       verbose_name="办件")
    department = models.ForeignKey("org.Department", models.PROTECT, related_name="licenses",
                                   verbose_name="发证机关")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="licenses",
                               verbose_name="持证人账号")
    holder_name = models.CharField("持证人", max_length=150)
    holder_id_number = models.CharField("证件号码", max_length=18)
    title = models.CharField("证照名称", max_length=200)
    content = models.JSONField("证照内容", default=list)  # [{"label": "经营场所", "value": "..."}]
    issued_at = models.DateTimeField("发证时间")
    valid_until = models.DateField("有效期至", null=True, blank=True)
    pdf = models.ForeignKey("files.Attachment", models.PROTECT, related_name="+", verbose_name="证照文件")
    signed_document = models.ForeignKey("seals.SignedDocument", models.PROTECT, related_name="+",
                                        verbose_name="签章记录")
    status = models.CharField("状态", max_length=10, choices=LicenseStatus.choices, default=LicenseStatus.VALID)
    delivery_method = models.CharField("送达方式", max_length=10, choices=DeliveryMethod.choices,
                                       default=DeliveryMethod.DOWNLOAD)
    delivery_address = models.CharField("邮寄地址", max_length=200, blank=True)
    tracking_number = models.CharField("邮件单号", max_length=40, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="送达经办人")
    revoked_at = models.DateTimeField("注销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="注销人")
    revoke_reason = models.TextField("注销理由", blank=True)
    revoke_basis = models.TextField("注销依据", blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = verbose_name_plural = "电子证照"
        constraints = [
            models.CheckConstraint(condition=~Q(delivery_method="post", delivered_at__isnull=False)
                                   | ~Q(tracking_number=""), name="billing_post_has_tracking"),
            models.CheckConstraint(condition=~Q(status="revoked")
                                   | (Q(revoked_at__isnull=False) & ~Q(revoke_reason="") & ~Q(revoke_basis="")),
                                   name="billing_revoked_has_reason_and_basis"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.word_number}"

    @property
    def masked_holder_id(self) -> str:
        value = self.holder_id_number
        return mask_id_number(value) if len(value) == 18 and value[:17].isdigit() else value


class Counter(models.Model):
    """Row-locked counters for bill and licence numbers ("B-20261124", "L-SF-SCJG-2026")."""

    key = models.CharField(max_length=48, unique=True)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "编号计数器"

    def __str__(self) -> str:
        return f"{self.key}:{self.value}"
