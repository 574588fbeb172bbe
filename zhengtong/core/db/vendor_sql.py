"""Migrations whose SQL differs by database vendor (triggers, functions)."""

from __future__ import annotations

from django.db import migrations


def _run(statements_by_vendor: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


def by_vendor(forward: dict[str, list[str]], reverse: dict[str, list[str]]) -> migrations.RunPython:
    """A migration operation running ``forward[vendor]`` (``reverse[vendor]`` when unapplied);
    a vendor without statements is left as it is."""
    return migrations.RunPython(_run(forward), _run(reverse))
