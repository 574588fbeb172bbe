"""Departments' electronic seals (SM2 key pairs) and the documents signed with them."""

from __future__ import annotations

import base64
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from zhengtong.core.seals.signers import ALGORITHM


class Seal(models.Model):
    department = models.ForeignKey("org.Department", models.PROTECT, related_name="seals", verbose_name="部门")
    name = models.CharField("印章名称", max_length=200)
    algorithm = models.CharField("算法", max_length=32, default=ALGORITHM)
    public_key = models.CharField("公钥（十六进制）", max_length=130)
    # SM4-GCM(nonce || ciphertext || tag) under the master key, hex; see seals.keys.
    private_key_encrypted = models.CharField("私钥密文", max_length=512, editable=False)
    active = models.BooleanField("在用", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="制章人")
    created_at = models.DateTimeField("启用时间", default=timezone.now)
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        ordering = ["department__code", "-created_at"]
        verbose_name = verbose_name_plural = "电子印章"
        constraints = [
            models.UniqueConstraint(fields=["department"], condition=Q(active=True),
                                    name="seals_one_active_seal_per_department"),
            models.CheckConstraint(condition=Q(active=True, retired_at__isnull=True)
                                   | Q(active=False, retired_at__isnull=False),
                                   name="seals_retired_iff_inactive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def fingerprint(self) -> str:
        """Short SM3 fingerprint of the public key, for people comparing keys by eye."""
        from zhengtong.lib.gm import sm3_hex

        digest = sm3_hex(bytes.fromhex(self.public_key))[:16].upper()
        return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


def new_verify_code() -> str:
    """16 base32 characters = 80 random bits: printable on paper, not guessable."""
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii")


class SignedDocument(models.Model):
    seal = models.ForeignKey(Seal, models.PROTECT, related_name="documents", verbose_name="印章")
    title = models.CharField("文件标题", max_length=200)
    file_name = models.CharField("文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    sm3 = models.CharField("SM3 摘要", max_length=64)
    signature = models.CharField("SM2 签名值", max_length=256)
    verify_code = models.CharField("验证码", max_length=32, unique=True, default=new_verify_code)
    attachment = models.ForeignKey("files.Attachment", models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="文件")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="签章人")
    signed_at = models.DateTimeField("签章时间", default=timezone.now)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="撤销人")
    revoke_reason = models.CharField("撤销原因", max_length=200, blank=True)

    class Meta:
        ordering = ["-signed_at"]
        verbose_name = verbose_name_plural = "已签章文件"

    def __str__(self) -> str:
        return self.title

    @property
    def department(self):
        return self.seal.department

    @property
    def code_display(self) -> str:
        """The verify code in groups of four, as printed."""
        return "-".join(self.verify_code[i:i + 4] for i in range(0, len(self.verify_code), 4))
