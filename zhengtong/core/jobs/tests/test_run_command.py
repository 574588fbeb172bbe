"""The ``run`` command: its process list comes from settings; a dying child ends the set."""

from __future__ import annotations

import sys
import time

from zhengtong.core.management.commands import run

DB_TASKS = {"default": {"BACKEND": "zhengtong.core.jobs.backend.DatabaseBackend"}}


def test_the_process_list_follows_settings(settings):
    settings.ZT_HOST, settings.ZT_PORT, settings.TASKS = "0.0.0.0", 8765, DB_TASKS
    specs = {spec.name: spec.argv for spec in run.build_processes()}
    assert list(specs) == ["web", "worker", "scheduler"]
    web = specs["web"]
    assert web[:3] == [sys.executable, "-m", "gunicorn"] and "zhengtong.wsgi" in web
    assert web[web.index("--bind") + 1] == "0.0.0.0:8765"
    assert web[web.index("--workers") + 1] == "2"
    assert web[web.index("--access-logfile") + 1] == "-"
    assert specs["worker"][1].endswith("manage.py") and specs["worker"][2] == "db_worker"
    assert "--no-reload" in specs["worker"]
    assert specs["scheduler"][2:] == ["scheduler"]


def test_an_ipv6_host_is_bracketed(settings):
    settings.ZT_HOST, settings.ZT_PORT = "::1", 9000
    web = run.build_processes()[0].argv
    assert web[web.index("--bind") + 1] == "[::1]:9000"


def test_no_worker_without_the_database_task_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert [spec.name for spec in run.build_processes()] == ["web", "scheduler"]


def _sleeper(name: str) -> run.ProcessSpec:
    return run.ProcessSpec(name, [sys.executable, "-c", "import time; time.sleep(60)"])


def test_when_one_child_dies_the_others_are_stopped_and_run_fails():
    lines: list[str] = []
    dying = run.ProcessSpec("web", [sys.executable, "-c", "raise SystemExit(3)"])
    supervisor = run.Supervisor([dying, _sleeper("scheduler")], write=lines.append, poll=0.05)
    supervisor.start()
    assert supervisor.wait() == 3
    assert all(child.poll() is not None for child in supervisor.children.values())
    assert "web" in lines[0]


def test_a_signal_stops_every_child_cleanly():
    supervisor = run.Supervisor([_sleeper("web"), _sleeper("scheduler")], write=lambda s: None, poll=0.05)
    supervisor.start()
    started = time.monotonic()
    supervisor.handle_signal(15, None)
    assert supervisor.wait() == 0
    assert all(child.poll() is not None for child in supervisor.children.values())
    assert time.monotonic() - started < 5


def test_demo_accounts_are_optional(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_demo(name, *args, **kwargs):
        if name == "zhengtong.demo":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_demo)
    assert run.demo_accounts() == ""
