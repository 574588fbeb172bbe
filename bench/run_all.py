"""`make bench`: run every bench script on SQLite, then on PostgreSQL when it is available.

Sizes default to the figures the issues ask for; pass --quick for a smoke run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PG_URL = os.environ.get("ZT_BENCH_PG_URL", "postgres://zhengtong:zhengtong@127.0.0.1:5432/zhengtong")

FULL = {
    "bench_audit.py": ["--append", "5000", "--verify", "1000000"],
    "bench_sm2.py": [],
    "bench_case_status.py": ["--cases", "1000000"],
    "bench_lifecycle.py": ["--n", "200"],
    "bench_supervision.py": ["--open", "1000000", "--finished", "5000000"],
}
QUICK = {
    "bench_audit.py": ["--append", "500", "--verify", "20000"],
    "bench_sm2.py": ["--quick"],
    "bench_case_status.py": ["--cases", "20000"],
    "bench_lifecycle.py": ["--n", "10"],
    "bench_supervision.py": ["--open", "10000", "--finished", "20000"],
}
SQLITE_ONLY = {"bench_sm2.py"}


def _pg_available() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0


def main() -> int:
    plan = QUICK if "--quick" in sys.argv else FULL
    failed = 0
    targets = [("sqlite", {})]
    if _pg_available():
        targets.append(("postgresql", {"DATABASE_URL": PG_URL}))
    for db, extra in targets:
        for script, args in plan.items():
            if not (HERE / script).exists() or (db != "sqlite" and script in SQLITE_ONLY):
                continue
            env = {**os.environ, **extra}
            print(f"== {script} on {db} ==", flush=True)
            failed += subprocess.run([sys.executable, str(HERE / script), *args], cwd=HERE, env=env).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
