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


def report(bench: str, **figures) -> None:
    parts = " ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items())
    print(f"[{bench}] {parts}", flush=True)
