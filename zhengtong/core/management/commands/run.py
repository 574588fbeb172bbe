"""``zhengtong run``: the web server, the task worker and the scheduler, together.

The three run as child processes; a signal to this process is passed to them, and when
one of them dies the others are stopped and ``run`` exits non-zero, so a supervisor
(systemd, a container runtime) sees the failure and restarts the whole set.
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

WEB_WORKERS = 2
STOP_GRACE_SECONDS = 10.0


@dataclass(frozen=True)
class ProcessSpec:
    name: str
    argv: list[str]


def _bind() -> str:
    host = settings.ZT_HOST
    return f"[{host}]:{settings.ZT_PORT}" if ":" in host else f"{host}:{settings.ZT_PORT}"


def _manage(*args: str) -> list[str]:
    return [sys.executable, str(settings.BASE_DIR / "manage.py"), *args]


def uses_database_tasks() -> bool:
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    try:
        from django_tasks_db import DatabaseBackend

        return issubclass(import_string(backend), DatabaseBackend)
    except ImportError:
        return False


def build_processes() -> list[ProcessSpec]:
    """What ``run`` starts, from settings (the worker only with the database task backend)."""
    specs = [ProcessSpec("web", [
        sys.executable, "-m", "gunicorn", "zhengtong.wsgi", "--bind", _bind(),
        "--workers", str(WEB_WORKERS), "--access-logfile", "-", "--graceful-timeout", "10",
        # The control socket defaults to one path per OS user, so two instances would clash.
        "--no-control-socket"])]
    if uses_database_tasks():
        specs.append(ProcessSpec("worker", _manage("db_worker", "--no-reload", "--queue-name", "*")))
    specs.append(ProcessSpec("scheduler", _manage("scheduler")))
    return specs


def _die_with_parent() -> None:
    """Linux: a child gets SIGTERM if ``run`` itself is killed (SIGKILL cannot be forwarded)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _exit_status(code: int) -> int:
    """A child's return code as our exit status: never 0 (it was not asked to stop), a
    signal ``-N`` as the shell's ``128 + N``."""
    return 128 - code if code < 0 else (code or 1)


class Supervisor:
    def __init__(self, specs: list[ProcessSpec], *, write: Callable[[str], None] = print,
                 poll: float = 0.2) -> None:
        self.specs, self.write, self.poll = specs, write, poll
        self.children: dict[str, subprocess.Popen] = {}
        self.stopping = False

    def start(self) -> None:
        for spec in self.specs:
            # Own process group: Ctrl-C reaches the children once, through us.
            self.children[spec.name] = subprocess.Popen(
                spec.argv, start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None)

    def handle_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def wait(self) -> int:
        """Block until a signal or a child's death; stop the rest; return the exit status."""
        while True:
            for name, child in self.children.items():
                code = child.poll()
                if code is not None:
                    if not self.stopping:
                        self.write(f"进程 {name} 已退出（状态 {code}），正在停止其余进程 / {name} exited")
                    self.stop()
                    return 0 if self.stopping else _exit_status(code)
            if self.stopping:
                self.stop()
                return 0
            time.sleep(self.poll)

    def stop(self) -> None:
        alive = [c for c in self.children.values() if c.poll() is None]
        for child in alive:
            child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in alive:
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def demo_accounts() -> str:
    try:
        from zhengtong.demo import describe_accounts
    except ImportError:
        return ""
    try:
        return describe_accounts()
    except Exception as exc:  # a banner must never keep the server from starting
        return f"（无法列出示范账号：{exc.__class__.__name__}）"


class Command(BaseCommand):
    help = "同时启动网站（gunicorn）、后台任务进程和定时调度器；Ctrl-C 全部停止。"

    def handle(self, *args, **options) -> None:
        supervisor = Supervisor(build_processes(), write=self.stdout.write)
        signal.signal(signal.SIGINT, supervisor.handle_signal)
        signal.signal(signal.SIGTERM, supervisor.handle_signal)
        supervisor.start()
        self._banner(supervisor.specs)
        code = supervisor.wait()
        if code:
            sys.exit(code)

    def _banner(self, specs: list[ProcessSpec]) -> None:
        self.stdout.write(self.style.SUCCESS(f"政通已启动：{settings.ZT_PUBLIC_URL}/ （控制台 {settings.ZT_PUBLIC_URL}/console/）"))
        self.stdout.write("进程 / processes: " + ", ".join(f"{s.name}" for s in specs) + "　按 Ctrl-C 停止")
        accounts = demo_accounts()
        if accounts:
            self.stdout.write(accounts)
