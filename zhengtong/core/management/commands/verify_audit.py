from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from zhengtong.core.audit.log import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链；发现被修改、删除、插入或调换的条目时以非零状态退出并指出第一处。"

    def handle(self, *args, **options):
        started = time.perf_counter()
        report = verify_chain()
        elapsed = time.perf_counter() - started
        if not report.ok:
            problem = report.problem
            raise CommandError(f"审计链校验失败：{problem.message}（条目 id={problem.entry_id}，"
                               f"此前 {report.checked} 条完好） / audit chain broken at seq {problem.seq} "
                               f"({problem.kind})")
        self.stdout.write(self.style.SUCCESS(
            f"审计链完好：共 {report.checked} 条，用时 {elapsed:.2f} 秒 / audit chain intact"))
