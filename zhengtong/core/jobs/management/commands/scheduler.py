"""``manage.py scheduler``: enqueue the periodic jobs of ``jobs.schedule`` when they fall due."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import timedelta
from types import FrameType

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from zhengtong.core.jobs.scheduler import next_due, run_due

logger = logging.getLogger("zhengtong.jobs.scheduler")
MAX_SLEEP = timedelta(minutes=1)  # wake now and then, so a changed clock or a missed pass heals


class Command(BaseCommand):
    help = "按 jobs/schedule.py 定时把到期任务放入任务队列；--once 只运行一轮。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="运行一轮后退出（测试和 cron 用）")

    def handle(self, *args, once: bool = False, **options) -> None:
        if once:
            self._pass()
            return
        stop = threading.Event()
        self._install_signals(stop)
        self.stdout.write("scheduler: started")
        while not stop.is_set():
            close_old_connections()  # as a request would: drop a connection that went away while asleep
            try:
                self._pass()
            except Exception:  # a locked or restarting database must not end the scheduler
                logger.exception("scheduler: pass failed; retrying at the next wake-up")
            now = timezone.now()
            wait = min(next_due(now) - now, MAX_SLEEP)
            stop.wait(max(wait.total_seconds(), 0.5))
        self.stdout.write("scheduler: stopped")

    def _pass(self) -> None:
        for run in run_due():
            self.stdout.write(f"scheduler: {run.name} {run.slot.isoformat()} {run.status} {run.error}".rstrip())

    @staticmethod
    def _install_signals(stop: threading.Event) -> None:
        def _stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
