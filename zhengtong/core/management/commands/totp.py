"""``zhengtong totp <username>``: the current TOTP code of a demo staff member."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengtong.demo.accounts import current_code


class Command(BaseCommand):
    help = ("打印工作人员当前的 6 位 TOTP 动态码（仅用于示范和开发，生产模式下拒绝）。 / "
            "Print a staff member's current TOTP code (demo and development only).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: object, username: str, **options: object) -> None:
        if settings.PRODUCTION:
            raise CommandError("生产模式下不提供 totp 命令：动态码只能由本人的身份验证器生成。"
                               " / Refused in production.")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).order_by("id").first()
        if device is None:
            raise CommandError(f"用户 {username} 不存在或没有已启用的 TOTP 令牌。")
        self.stdout.write(current_code(device))
