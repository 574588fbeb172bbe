"""import_items <xlsx> [--as USERNAME] [--draft]: import the item workbook (all or nothing)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhengtong.core.accounts.models import User
from zhengtong.services.catalog.excel import ImportFailed, import_workbook


class Command(BaseCommand):
    help = "从 Excel 模板导入政务服务事项（全部成功或全部不导入）"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--as", dest="username", required=True, help="以该工作人员的身份和权限导入")
        parser.add_argument("--draft", action="store_true", help="只保存为草稿，不发布")

    def handle(self, *args, path: str, username: str, draft: bool, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"文件不存在：{path}")
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"用户不存在或已停用：{username}")
        try:
            result = import_workbook(file.read_bytes(), actor=actor, publish=not draft)
        except ImportFailed as exc:
            raise CommandError("导入失败，未写入任何数据：\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(f"导入完成：新建 {result.created} 项，新版本 {result.versioned} 项，"
                          f"未变化 {result.unchanged} 项。")
