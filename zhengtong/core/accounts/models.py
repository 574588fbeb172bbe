"""One user model for staff and the public, with a profile per kind."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengtong.core.identifiers import mask_id_number, mask_mobile
from zhengtong.core.identifiers.fields import IdNumberField, UsccField


class UserKind(models.TextChoices):
    STAFF = "staff", _("工作人员")
    CITIZEN = "citizen", _("自然人")
    ENTERPRISE = "enterprise", _("法人")


class User(AbstractUser):
    kind = models.CharField("用户类型", max_length=16, choices=UserKind.choices, default=UserKind.CITIZEN)
    display_name = models.CharField("姓名/名称", max_length=150, blank=True)
    mobile = models.CharField("手机号码", max_length=16, blank=True, db_index=True)
    department = models.ForeignKey("org.Department", models.PROTECT, null=True, blank=True,
                                   related_name="staff", verbose_name="所在部门")
    title = models.CharField("职务", max_length=60, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="staff") | models.Q(department__isnull=True),
                name="accounts_user_only_staff_in_department",
            ),
            # Citizens log in by mobile too, so one mobile names at most one citizen.
            models.UniqueConstraint(
                fields=["mobile"], condition=models.Q(kind="citizen") & ~models.Q(mobile=""),
                name="accounts_user_unique_citizen_mobile",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_staff_member(self) -> bool:
        return self.kind == UserKind.STAFF

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class CitizenProfile(models.Model):
    user = models.OneToOneField(User, models.CASCADE, related_name="citizen")
    id_number = IdNumberField(unique=True)
    birth_date = models.DateField("出生日期")
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_place = models.CharField("出生地", max_length=80, blank=True)
    verified_at = models.DateTimeField("实名核验时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "自然人档案"

    def __str__(self) -> str:
        return f"{self.user} {self.masked_id_number}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class EnterpriseProfile(models.Model):
    user = models.OneToOneField(User, models.CASCADE, related_name="enterprise")
    uscc = UsccField(unique=True)
    name = models.CharField("单位名称", max_length=150)
    legal_rep_name = models.CharField("法定代表人", max_length=60)
    legal_rep_id_number = IdNumberField("法定代表人身份证号")
    address = models.CharField("住所", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "法人档案"

    def __str__(self) -> str:
        return self.name

    @property
    def masked_legal_rep_id_number(self) -> str:
        return mask_id_number(self.legal_rep_id_number)


class ApiToken(models.Model):
    """A bearer token for another government system. Only the SM3 digest is stored."""

    name = models.CharField("系统名称", max_length=100)
    user = models.ForeignKey(User, models.CASCADE, related_name="zt_api_tokens", verbose_name="代表用户")
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
