from __future__ import annotations

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhengtong.core.accounts.actions import bootstrap_staff, do_create_totp_device
from zhengtong.core.audit.log import record
from zhengtong.core.permissions.models import Grant, Role, Scope

ROLE_BY_KIND = {"system": "sysadmin", "security": "secadmin", "audit": "auditadmin"}


class Command(BaseCommand):
    help = "创建三员之一（system 系统管理员 / security 安全保密管理员 / audit 安全审计员），并生成 TOTP 密钥。"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(ROLE_BY_KIND))
        parser.add_argument("username")
        parser.add_argument("--name", default="")
        parser.add_argument("--password", help="不提供则交互输入")

    def handle(self, *args, kind: str, username: str, name: str, password: str | None, **options):
        password = password or getpass.getpass("密码: ")
        role = Role.objects.get(code=ROLE_BY_KIND[kind])
        try:
            with transaction.atomic():
                user = bootstrap_staff(username=username, name=name or username, password=password)
                grant = Grant.objects.create(user=user, role=role, scope=Scope.CITY)
                record("permissions.role.granted", obj=grant, role="cli",
                       after={"user": username, "role": role.code, "scope": "city", "via": "createadmin"})
                device = do_create_totp_device(user=user)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已创建{role.name} {username}"))
        self.stdout.write(f"TOTP 密钥（Base32，录入身份验证器）: {totp_base32(device)}")
        self.stdout.write(f"otpauth URI: {device.config_url}")


def totp_base32(device) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")
