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


def open_page(browser) -> object:
    """A page in a new context: a desktop window, Chinese, downloads allowed, 15 s timeouts."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def demo_staff(department_code: str, role: str):
    """The demo city's first active staff member of a department holding a role."""
    from zhengtong.core.accounts.models import User, UserKind

    user = (User.objects.filter(kind=UserKind.STAFF, is_active=True, department__code=department_code,
                                grants__role__code=role).order_by("pk").first())
    assert user is not None, f"the demo city has no {role} in {department_code}"
    return user


def console_login(page, base: str, user, password: str | None = None) -> None:
    """Log a staff member into the console: password (the demo city's by default), then the TOTP code."""
    from zhengtong.demo.specs import DEMO_PASSWORD
    from zhengtong.testing.personas import totp_now

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password or DEMO_PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/accounts/login/otp/")
    page.fill("input[name=token]", totp_now(user))
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/console/")


def console_menu(page, label: str, *, menu: str = "政务服务") -> None:
    """Open a page from the console sidebar: a platform's menu, then its item."""
    page.get_by_role("button", name=menu).click()
    page.get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state("load")
