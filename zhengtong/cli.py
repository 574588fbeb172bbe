"""``zhengtong`` — the platform's command line, a thin wrapper over manage.py.

    zhengtong demo            reset and reload the demo city
    zhengtong run             serve the web, the task worker and the scheduler together
    zhengtong verify-audit    check the audit hash chain (exit 1 naming the first bad entry)
    zhengtong createadmin     create a system, security or audit administrator
    zhengtong totp USER       the current TOTP code of a demo account (demo mode only)
    zhengtong import-regions  load GB/T 2260 division codes from a CSV file
    zhengtong scheduler       run the periodic jobs (zhengtong/core/jobs/schedule.py)
    zhengtong db_worker       run the background task worker
    zhengtong <any manage.py command>
"""

from __future__ import annotations

import os
import sys

ALIASES = {"verify-audit": "verify_audit", "import-regions": "import_regions"}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengtong.settings")
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    args[0] = ALIASES.get(args[0], args[0])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zhengtong", *args])


if __name__ == "__main__":
    main()
