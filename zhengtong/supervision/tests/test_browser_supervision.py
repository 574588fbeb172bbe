"""E-supervision in a real browser (Debian's chromium through Playwright), on the demo city:
the supervisor opens the city-wide monitor, filters the red cases, urges the department of
one of them (督办) from its row, and checks the dashboard's four ECharts charts; the
department's head answers the urge from the console, which stops its clock.

With ZT_SCREENSHOTS=1 the monitor and the dashboard are written to docs/img/."""

from __future__ import annotations

import pytest

from zhengtong.testing.browser import console_login, console_menu, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_city(live_server):
    from zhengtong.core.timelimits.actions import refresh_statuses
    from zhengtong.demo.loader import load_demo

    load_demo(scale=0.2)  # the organisation, a year of cases, their ratings and the office's directives
    refresh_statuses()
    return live_server.url


def watch_the_red_cases(page) -> list[int]:
    """From the console to the monitor's red cases; returns the ids of the listed cases."""
    console_menu(page, "全市时限监控", menu="电子监察")
    red = page.locator("[data-testid=status-counts] [data-count=red]")
    assert int(red.inner_text().split()[-1]) > 0
    red.click()
    page.wait_for_url("**/console/supervision/?status=red")
    rows = page.locator("tr[data-case]")
    assert rows.count() > 0
    assert set(rows.evaluate_all("rows => rows.map(r => r.dataset.status)")) == {"red"}
    screenshot(page, "monitor.png")
    return [int(pk) for pk in rows.evaluate_all("rows => rows.map(r => r.dataset.case)")]


def urge(page, case_id: int) -> int:
    """督办 from the case's row; returns the directive's id."""
    page.locator(f"tr[data-case='{case_id}']").get_by_role("link", name="督办", exact=True).click()
    page.wait_for_url("**/directives/new/**")
    page.fill("textarea[name=message]", "该办件已超承诺时限，请于答复期限内办结并说明原因。")
    page.fill("input[name=reply_days]", "2")
    page.get_by_role("button", name="发出", exact=True).click()
    page.wait_for_url("**/console/supervision/directives/*/")
    assert "已发出督办" in page.locator("ul.messages").inner_text()
    assert page.locator("dl[data-status]").get_attribute("data-status") == "open"
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def read_the_dashboard(page) -> None:
    console_menu(page, "监察大屏", menu="电子监察")
    # each chart is drawn from the JSON endpoint into a canvas of its own
    page.wait_for_function("document.querySelectorAll('#zt-dashboard .zt-chart canvas').length === 4")
    page.wait_for_function("document.getElementById('zt-statutory').textContent !== '—'")
    drawn = page.evaluate("""() => [...document.querySelectorAll('#zt-dashboard .zt-chart')].map(el => {
        const option = echarts.getInstanceByDom(el).getOption();
        return option.series.reduce((n, s) => n + s.data.length, 0); })""")
    assert all(n > 0 for n in drawn), drawn
    page.wait_for_timeout(1200)  # let the charts' entry animation finish before a screenshot
    screenshot(page, "dashboard.png")


def answer(page, base: str, directive_id: int) -> None:
    page.goto(f"{base}/console/supervision/directives/{directive_id}/")
    page.fill("textarea[name=answer]", "已安排专人跟进，现场核查已完成，预计两个工作日内作出决定。")
    page.get_by_role("button", name="提交答复", exact=True).click()
    page.wait_for_url(f"**/console/supervision/directives/{directive_id}/")
    assert "已答复" in page.locator("ul.messages").inner_text()
    assert page.locator("dl[data-status]").get_attribute("data-status") == "closed"


def test_a_supervisor_urges_a_red_case_and_its_department_answers(demo_city, new_page):
    from zhengtong.core.accounts.models import User
    from zhengtong.core.audit.models import AuditEntry
    from zhengtong.core.timelimits.models import CaseStatus, TimedCase
    from zhengtong.supervision.actions import department_heads
    from zhengtong.supervision.models import Directive, DirectiveKind, DirectiveStatus

    base = demo_city
    supervisor = User.objects.get(username="supervisor")
    page = new_page()
    console_login(page, base, supervisor)
    red = watch_the_red_cases(page)
    # the first red case of a department with a head to answer (as the demo city's are)
    case_id = next(pk for pk in red if department_heads(TimedCase.objects.get(pk=pk).department))
    directive_id = urge(page, case_id)
    read_the_dashboard(page)

    directive = Directive.objects.get(pk=directive_id)
    head = department_heads(directive.department)[0]
    head_page = new_page()
    console_login(head_page, base, head)
    answer(head_page, base, directive_id)

    # What the pages said is what happened.
    directive.refresh_from_db()
    assert (directive.kind, directive.status, directive.about_case_id) == (DirectiveKind.URGE,
                                                                           DirectiveStatus.CLOSED, case_id)
    assert directive.created_by == supervisor and directive.answered_by == head
    assert TimedCase.objects.get(pk=directive.clock_id).status == CaseStatus.FINISHED
    assert {"supervision.urge.issued", "supervision.urge.answered"} <= set(
        AuditEntry.objects.filter(object_id=str(directive_id), object_type="supervision.directive")
        .values_list("action", flat=True))
