"""The demo city 示范市: a fictional prefecture-level city of Jiangxi (361200) with three
counties, ten townships, ~40 departments, ~60 staff, ~200 citizens and ~50 enterprises.

``zhengtong demo`` loads it (see ``loader``); ``describe_accounts()`` says how to log in.
"""

from __future__ import annotations


def describe_accounts(*, full: bool = False) -> str:
    """A bilingual block listing the demo accounts, passwords and TOTP secrets.

    Imported lazily so that importing this package needs no app registry.
    """
    from zhengtong.demo.accounts import describe

    return describe(full=full)
