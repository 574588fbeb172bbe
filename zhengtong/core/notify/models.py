"""Every message the platform sends, whatever its channel, is one row here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengtong.core.db.pending import WrittenBeforeReadManager


class Channel(models.TextChoices):
    INBOX = "inbox", _("站内消息")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class Status(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    READ = "read", _("已读")


class MessageManager(WrittenBeforeReadManager):
    """Inside a transaction, a read first writes the messages the transaction sent (they are
    otherwise written just before it commits; see ``core.notify.actions``)."""

    writer = "zhengtong.core.notify.actions.write_pending"


class Message(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="zt_messages",
                                  verbose_name="接收人")
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    link = models.CharField("链接", max_length=500, blank=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField("失败原因", blank=True)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    template = models.CharField("消息模板", max_length=80, blank=True)
    object_type = models.CharField("关联对象类型", max_length=100, blank=True)
    object_id = models.CharField("关联对象标识", max_length=64, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    objects = MessageManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "消息"
        indexes = [
            models.Index(fields=["recipient", "channel", "status"], name="notify_msg_inbox_idx"),
            models.Index(fields=["status", "channel"], name="notify_msg_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.subject}"

    @property
    def is_unread(self) -> bool:
        return self.channel == Channel.INBOX and self.read_at is None
