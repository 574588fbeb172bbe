"""What every browser test shares: Debian's chromium driven by Playwright (never
``playwright install``), and README screenshots written only when ZT_SCREENSHOTS=1."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

# Playwright's sync API runs an event loop in this thread; the ORM calls around it are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IMG_DIR = Path(__file__).resolve().parents[2] / "docs" / "img"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def launch_chromium() -> Iterator[object]:
    """The ``browser`` fixture's body (the fixture itself is in the root conftest)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def screenshot(page, name: str) -> None:
    """Refresh docs/img/<name> when asked (make screenshots); a normal run writes nothing."""
    if os.environ.get("ZT_SCREENSHOTS") != "1":
        return
    IMG_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMG_DIR / name), full_page=False)
