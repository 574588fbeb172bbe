"""The whole services flow in a real browser (Debian's chromium through Playwright), on the
demo city: an enterprise finds 建设工程规划许可 in the service guide and applies online with
uploaded materials; the comprehensive window accepts it; the planning bureau reviews it; the
planning and the environment bureaus approve it in parallel (并联审批); the planning bureau's
head grants it; the applicant follows the case in "my cases", downloads the sealed e-licence,
verifies it on /verify/ and rates the service (好差评).

Every step goes through the pages a person would use; the database is only read, to pick the
demo accounts and to check at the end that the clicks did what the pages said. With
ZT_SCREENSHOTS=1 the guide, the application form, the approval inbox and the case timeline are
written to docs/img/ (off by default, so a test run leaves the working tree as it was)."""

from __future__ import annotations

import io
import re
import struct
import zlib
from pathlib import Path

import pytest

from zhengtong.testing.browser import console_login, console_menu, demo_staff, screenshot

pytestmark = pytest.mark.browser

ITEM_CODE, ITEM_NAME = "ZRZY-002", "建设工程规划许可"  # parallel: planning bureau + environment bureau


# ---------------------------------------------------------------- browser and fixtures

@pytest.fixture
def demo_city(live_server, settings, tmp_path):
    from zhengtong.demo.loader import load_demo

    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_demo(scale=0.05)  # the whole organisation and its staff, the catalog, process configurations
    return live_server.url


# ---------------------------------------------------------------- material fixtures

def scan_pdf() -> bytes:
    """A one-page PDF, as a scanner would produce (reportlab, already a dependency)."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawString(72, 760, "Construction land planning permit (scan)")
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def drawing_png(width: int = 8, height: int = 8) -> bytes:
    """A small valid PNG (grey square), built by hand: signature, IHDR, IDAT, IEND."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


# ---------------------------------------------------------------- people

def public_login(page, base: str, username: str) -> None:
    from zhengtong.demo.specs import DEMO_PASSWORD

    page.goto(f"{base}/")
    page.get_by_role("link", name="登录", exact=True).click()
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{base}/")


def unread_badge(page) -> int:
    badge = page.locator("[data-testid=unread-badge]")
    return int(badge.inner_text().rstrip("+")) if badge.count() else 0


# ---------------------------------------------------------------- the steps

def apply_online(page, base: str, enterprise) -> str:
    """From the home page to a submitted case; returns the case number shown to the applicant."""
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="办事服务").click()
    page.locator("[data-testid=catalog-search] input[name=q]").fill(ITEM_NAME)
    page.locator("[data-testid=catalog-search] button[type=submit]").click()
    page.locator("[data-testid=item-list]").get_by_role("link", name=ITEM_NAME, exact=True).click()
    guide = page.locator("[data-testid=guide]")
    assert ITEM_CODE in guide.inner_text() and "并联" in guide.inner_text()
    screenshot(page, "guide.png")

    page.click("[data-testid=apply]")
    page.wait_for_url(f"**/apply/new/{ITEM_CODE}/")
    # The form is rendered from the item's JSON Schema and pre-filled from the real-name profile.
    assert page.get_by_label("单位名称").input_value() == enterprise.name
    assert page.get_by_label("统一社会信用代码").input_value() == enterprise.uscc
    page.get_by_label("项目名称").fill("滨江路综合楼新建工程")
    page.get_by_label("建设地点").fill("示范市示范区滨江路 88 号")
    page.get_by_label("建筑面积（平方米）").fill("12800")
    page.get_by_label("总投资（万元）").fill("5600")
    assert page.locator("[data-testid^=shared-]").count() >= 1  # 营业执照 comes from the legal-entity registry
    files = {"application/pdf": ("permit-scan.pdf", scan_pdf()), "image/png": ("design-drawing.png", drawing_png())}
    for n, slot in enumerate(page.locator("input[type=file]").all()):
        mime = "application/pdf" if n % 2 == 0 else "image/png"
        name, content = files[mime]
        slot.set_input_files({"name": f"{n + 1}-{name}", "mimeType": mime, "buffer": content})
    screenshot(page, "apply.png")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url("**/apply/case/*/")
    number = page.locator("[data-testid=number]").inner_text().strip()
    assert f"申报成功，办件编号 {number}" in page.locator("ul.messages").inner_text()
    assert page.locator("[data-testid=status]").inner_text() == "已申报，待受理"
    return number


def accept_at_the_window(page, base: str, clerk, number: str) -> None:
    console_login(page, base, clerk)
    console_menu(page, "办件受理")
    page.get_by_role("link", name=number, exact=True).click()
    assert page.locator("[data-testid=status]").inner_text() == "已申报，待受理"
    page.click("[data-testid=accept]")
    page.wait_for_url("**/console/applications/*/")
    assert page.locator("[data-testid=status]").inner_text() in ("已受理", "审查中")


def complete_task(page, number: str, label: str, comment: str, *, picture: str = "") -> None:
    """In the console's approval inbox, open the case's task ``label`` and approve it."""
    if "/console/workflow/" not in page.url:
        console_menu(page, "审批待办")
    row = (page.locator("[data-testid=task-row]").filter(has_text=number)
           .filter(has=page.locator("td:nth-child(4)", has_text=re.compile(rf"^{re.escape(label)}$"))))
    assert row.count() == 1, f"{label} of {number} is not in {page.url}"
    if picture:
        screenshot(page, picture)
    row.get_by_role("link", name=number).click()
    page.wait_for_url("**/console/workflow/*/")
    page.check("input[name=outcome][value=approve]")
    page.fill("textarea[name=comment]", comment)
    page.click("[data-testid=complete]")
    page.wait_for_url("**/console/workflow/")
    assert f"“{label}”已办理" in page.content()


def follow_the_case(page, number: str) -> None:
    """My cases → the case: granted, with its timeline → its e-licence."""
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的办件").click()
    page.get_by_role("link", name=number, exact=True).click()
    assert page.locator("[data-testid=status]").inner_text() == "准予许可"
    timeline = page.locator("[data-testid=timeline] li")
    steps = " / ".join(timeline.all_inner_texts())
    assert timeline.count() >= 3, steps
    assert "已申报，待受理" in steps and "准予许可" in steps, steps
    page.locator("[data-testid=timeline]").scroll_into_view_if_needed()
    screenshot(page, "case.png")
    licence = page.get_by_role("link", name=re.compile("^电子证照 "))
    assert licence.count() == 1, "the granted case page links to no e-licence"
    licence.click()
    page.wait_for_url("**/pay/licences/*/")


def download_and_verify(page, tmp_path: Path) -> None:
    """The licence page: download the PDF, then follow its verification code to /verify/<code>/."""
    with page.expect_download() as download:
        page.click("[data-testid=download]")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".pdf" and saved.read_bytes().startswith(b"%PDF-")

    page.locator("[data-testid=licence] a[href$='/verify/']").click()  # the licence's verification code
    page.wait_for_url(re.compile(r"/verify/[^/]+/$"))
    assert "真实有效" in page.locator("[data-testid=verify-status]").inner_text()
    # The holder checks the file in hand: byte for byte the sealed document.
    page.set_input_files("input[type=file][name=file]", str(saved))
    page.get_by_role("button", name="核验文件").click()
    page.wait_for_load_state("load")
    status = page.locator("[data-testid=verify-status]").inner_text()
    assert "真实有效" in status and "逐字节一致" in status, status


def rate(page, number: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的办件").click()
    page.get_by_role("link", name=number, exact=True).click()
    page.click("[data-testid=rate]")
    page.wait_for_url("**/supervision/rate/*/")
    for name in page.eval_on_selector_all("form.stack input[type=radio]", "els => [...new Set(els.map(e => e.name))]"):
        page.check(f"input[type=radio][name={name}][value='5']")
    page.fill("textarea[name=comment]", "全程网办，并联审批很快。")
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_url("**/supervision/rate/*/")
    assert "感谢您的评价" in page.locator("ul.messages").inner_text()
    assert "非常满意" in page.locator("[data-testid=rated]").inner_text()


# ---------------------------------------------------------------- the test

def test_an_enterprise_applies_online_and_the_case_goes_through_parallel_approval_to_a_rated_licence(
        demo_city, new_page, tmp_path):
    from zhengtong.core.accounts.models import User
    from zhengtong.demo.specs import WELL_KNOWN_ENTERPRISE
    from zhengtong.services.applications.models import Application, Status
    from zhengtong.services.workflow.models import TaskStatus, WorkTask
    from zhengtong.supervision.models import Rating

    base = demo_city
    enterprise = User.objects.get(enterprise__name=WELL_KNOWN_ENTERPRISE["name"]).enterprise
    clerk = User.objects.get(username="clerk")  # the service centre's comprehensive window, city-wide
    planning, environment = demo_staff("SF-ZRZY", "approver"), demo_staff("SF-STHJ", "approver")
    head = demo_staff("SF-ZRZY", "dept_head")

    applicant = new_page()
    public_login(applicant, base, enterprise.uscc)
    unread_before = unread_badge(applicant)
    number = apply_online(applicant, base, enterprise)

    accept_at_the_window(new_page(), base, clerk, number)

    reviewer = new_page()
    console_login(reviewer, base, planning)
    complete_task(reviewer, number, "审查", "规划条件核实无误，提交并联审查。", picture="approvals.png")
    complete_task(reviewer, number, "规划条件审查", "符合控制性详细规划。")
    environment_page = new_page()
    console_login(environment_page, base, environment)
    complete_task(environment_page, number, "生态环境部门并联审查", "环评批复齐全，同意。")
    decider = new_page()
    console_login(decider, base, head)
    complete_task(decider, number, "决定", "准予许可。")

    applicant.reload()
    assert unread_badge(applicant) > unread_before  # the decision and the licence reached the inbox
    follow_the_case(applicant, number)
    download_and_verify(applicant, tmp_path)
    rate(applicant, number)
    applicant.click("[data-testid=unread-badge]")
    applicant.wait_for_url(f"{base}/inbox/")
    assert "证照已签发" in applicant.locator("[data-testid=inbox]").inner_text()

    # What the pages said is what happened.
    case = Application.objects.get(number=number)
    assert case.status == Status.GRANTED and case.accepted_by == clerk and case.decided_by == head
    done = {t.label: t.completed_by for t in WorkTask.objects.filter(application=case, status=TaskStatus.DONE)}
    assert done == {"审查": planning, "规划条件审查": planning, "生态环境部门并联审查": environment, "决定": head}
    assert case.materials.exclude(attachment=None).count() >= 2
    rating = Rating.objects.get(case_id=case.processing_case_id)
    assert (rating.party, rating.level) == (enterprise.user, 5)
