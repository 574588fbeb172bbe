from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhengtong.core.accounts"
    label = "accounts"
    verbose_name = "账户"
