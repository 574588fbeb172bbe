"""``zhengtong import-regions <csv>``: load GB/T 2260 division codes (and township codes)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengtong.core.org.actions import import_regions_csv


class Command(BaseCommand):
    help = ("从 CSV（列 code,name[,valid_from,valid_to]，UTF-8）导入行政区划代码；任一行出错则全部不导入。"
            " / Import division codes from CSV; any bad row aborts the whole import.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", help="CSV 文件路径，- 表示标准输入")

    def handle(self, *args: object, csv: str, **options: object) -> None:
        if csv == "-":
            report = import_regions_csv(sys.stdin)
        else:
            path = Path(csv)
            if not path.is_file():
                raise CommandError(f"找不到文件：{path}")
            # utf-8-sig: spreadsheets save CSV with a byte-order mark.
            with path.open(encoding="utf-8-sig", newline="") as stream:
                report = import_regions_csv(stream)
        if report.errors:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(f"导入失败：{len(report.errors)} 行有错误，未写入任何区划。")
        self.stdout.write(self.style.SUCCESS(f"导入完成：新增 {report.created} 个，更新 {report.updated} 个区划。"))
