from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhengtong.core.accounts"
    label = "accounts"
    verbose_name = "账户"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_login_failed

        from zhengtong.core.accounts import handlers

        user_login_failed.connect(handlers.audit_login_failed, dispatch_uid="accounts.audit_login_failed")
        user_locked_out.connect(handlers.audit_locked_out, dispatch_uid="accounts.audit_locked_out")
