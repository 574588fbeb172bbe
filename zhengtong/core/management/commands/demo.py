"""``zhengtong demo``: load the demo city 示范市 (default: wipe and reload)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengtong.core.accounts.models import User
from zhengtong.core.org.models import Region
from zhengtong.demo import describe_accounts
from zhengtong.demo.loader import DemoRefused, DemoSummary, load_demo, reset_demo


class Command(BaseCommand):
    help = ("加载示范城市“示范市”（默认清空后重新加载；会清空全部用户、部门、区划和审计日志）。 / "
            "Load the demo city (default: wipe everything and reload).")

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--if-empty", action="store_true",
                          help="仅在尚无区划和用户时加载（make run 每次调用，可重复执行）")
        mode.add_argument("--reset", action="store_true", help="清空后重新加载（默认行为）")
        mode.add_argument("--accounts", action="store_true", help="只列出全部示范账号及 TOTP 密钥，不加载")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="市民和企业数量的倍数（默认 1 = 约 200 位市民、50 家企业）")

    def handle(self, *args: object, if_empty: bool, reset: bool, accounts: bool, scale: float,
               **options: object) -> None:
        if accounts:
            self.stdout.write(describe_accounts(full=True))
            return
        if if_empty and settings.PRODUCTION:
            self.stdout.write("生产模式：不加载示范数据。 / Production mode: demo data not loaded.")
            return
        if if_empty and (Region.objects.exists() or User.objects.exists()):
            self.stdout.write("已有数据，跳过示范数据加载。 / Data present: demo not loaded.")
            return
        if scale <= 0:
            raise CommandError("--scale 必须大于 0")
        try:
            summary = load_demo(scale=scale) if if_empty else reset_demo(scale=scale)
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(_summary_line(summary)))
        self.stdout.write("")
        self.stdout.write(describe_accounts())


def _summary_line(s: DemoSummary) -> str:
    return (f"已加载示范市：{s.regions} 个区划、{s.departments} 个部门、{s.staff} 名工作人员（{s.grants} 项授权）、"
            f"{s.citizens} 位市民、{s.enterprises} 家企业，用时 {s.seconds:.1f} 秒。 / Demo city loaded.")
