"""End-to-end checks in a real browser: Debian's chromium driven by Playwright (never
``playwright install``). With ZT_SCREENSHOTS=1 they also refresh the README screenshots in
docs/img/ (off by default, so a test run leaves the working tree as it was)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from zhengtong.testing.browser import console_login, open_page, screenshot
from zhengtong.testing.personas import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser) -> Iterator[object]:
    page = open_page(browser)
    yield page
    page.context.close()


def test_a_staff_member_logs_in_with_password_and_totp_and_sees_the_console(live_server, page, clerk):
    console_login(page, live_server.url, clerk, PASSWORD)
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("政务服务").first.is_visible()  # the Wagtail sidebar with our platform menus
    assert page.get_by_text("clerk.zhang").first.is_visible()
    screenshot(page, "console.png")


def _font_size(page) -> float:
    return float(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))


def test_elderly_mode_enlarges_the_type_of_the_public_site(live_server, page, city):
    page.goto(f"{live_server.url}/")
    assert "elderly" not in (page.get_attribute("body", "class") or "")
    standard = _font_size(page)
    screenshot(page, "home.png")
    page.click("[data-testid=elderly-toggle]")
    page.wait_for_load_state("load")
    assert "elderly" in (page.get_attribute("body", "class") or "").split()
    assert _font_size(page) > standard
    page.click("[data-testid=elderly-toggle]")  # and back to the standard edition
    page.wait_for_load_state("load")
    assert "elderly" not in (page.get_attribute("body", "class") or "").split()
