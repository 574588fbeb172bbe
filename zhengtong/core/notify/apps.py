from __future__ import annotations

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "zhengtong.core.notify"
    label = "notify"
    verbose_name = "消息通知"
