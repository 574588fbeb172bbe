"""The append-only audit log. Rows are chained by SM3 hash; see ``core.audit.log``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhengtong.core.db.pending import WrittenBeforeReadManager

GENESIS_HASH = "0" * 64


class AuditManager(WrittenBeforeReadManager):
    """Inside a transaction, a read first writes the entries the transaction recorded (they
    are otherwise written just before it commits; see ``core.audit.log``)."""

    writer = "zhengtong.core.audit.log.write_pending"


class AuditEntry(models.Model):
    # Gap-free position in the one chain; unique so two writers can never fork it.
    seq = models.BigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                              related_name="+", db_constraint=False, verbose_name="操作人")
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    role = models.CharField("角色", max_length=200, blank=True)
    ip = models.CharField("IP 地址", max_length=45, blank=True)
    action = models.CharField("操作", max_length=100, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True, db_index=True)
    object_id = models.CharField("对象标识", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditManager()

    class Meta:
        ordering = ["seq"]
        verbose_name = verbose_name_plural = "审计日志"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"
