"""Boot Django for a bench script on a throwaway database.

SQLite by default (a fresh file under a temp dir); PostgreSQL when DATABASE_URL is set
(the database must be empty or disposable: benches create and drop their own rows).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(name: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengtong.settings")
    if "DATABASE_URL" not in os.environ:
        os.environ["ZT_VAR_DIR"] = tempfile.mkdtemp(prefix=f"zt-bench-{name}-")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DEBUG", "false")  # no query logging: measure what production runs
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def vendor() -> str:
    from django.db import connection

    return connection.vendor


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.start


def _yardstick_work() -> int:
    """A fixed piece of pure-Python work of the kind a request does (calls, attribute and dict
    access, small strings and lists). Never change it: its time is comparable across versions
    of the platform only while it stays the same."""

    class Row:
        __slots__ = ("key", "value")

        def __init__(self, key: str, value: int) -> None:
            self.key, self.value = key, value

    def fold(rows: list, index: dict) -> int:
        total = 0
        for row in rows:
            index[row.key] = index.get(row.key, 0) + row.value
            total += len(row.key) + (row.value & 7)
        return total

    total = 0
    for round_ in range(60):
        rows = [Row(f"k{(i * 7919 + round_) % 997}", i) for i in range(1000)]
        index: dict = {}
        total += fold(rows, index) + len(sorted(index, key=index.__getitem__))
    return total


def yardstick() -> float:
    """Milliseconds of CPU this host takes for ``_yardstick_work`` (best of five): how fast the
    host runs at the moment. These machines change speed between runs (bench/README.md); a
    figure divided by this tells slower code from a slower host."""
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        _yardstick_work()
        best = min(best, time.process_time() - started)
    return best * 1000


def report(bench: str, **figures) -> None:
    parts = " ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items())
    print(f"[{bench}] {parts}", flush=True)
