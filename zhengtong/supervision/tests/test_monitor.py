from __future__ import annotations

from datetime import date

import time_machine

from zhengtong.core.timelimits.actions import finish_case
from zhengtong.supervision.queries import MonitorFilters, monitor_counts, monitor_page
from zhengtong.supervision.tests.conftest import make_case
from zhengtong.testing.personas import login_staff

TODAY = "2025-03-14 10:00 +0800"  # Friday


def _statuses(page: str) -> list[str]:
    import re

    return re.findall(r'data-status="(\w+)" data-statutory="(\d)"', page)


@time_machine.travel(TODAY, tick=False)
def test_colours_follow_the_promised_limit_and_a_separate_flag_the_statutory_one(city, supervisor):
    # promised 5 working days from 3 March = 10 March: red on the 14th; statutory 20 days: not over
    red_only = make_case(city, title="承诺超期", limit=5, statutory=20)
    # promised and statutory both 5 days: red and past the statutory limit
    both = make_case(city, title="双超期", limit=5, statutory=5)
    yellow = make_case(city, title="黄牌", started="2025-03-11", limit=4)
    normal = make_case(city, title="正常", started="2025-03-13", limit=10)
    rows, has_next = monitor_page(supervisor, date(2025, 3, 14), MonitorFilters())
    found = {c.title: (c.live_status, c.statutory_over) for c in rows}
    assert found == {"承诺超期": ("red", False), "双超期": ("red", True), "黄牌": ("yellow", False),
                     "正常": ("normal", False)}
    assert not has_next
    counts = monitor_counts(supervisor, date(2025, 3, 14), MonitorFilters())
    assert counts == {"normal": 1, "yellow": 1, "red": 2, "paused": 0, "statutory_over": 1}
    assert {red_only.pk, both.pk, yellow.pk, normal.pk} == {c.pk for c in rows}


@time_machine.travel(TODAY, tick=False)
def test_a_case_finished_after_its_statutory_limit_is_flagged(city, supervisor):
    case = make_case(city, title="迟办结", limit=3, statutory=4)
    finish_case(case, on=date(2025, 3, 13))
    ontime = make_case(city, title="按时办结", limit=5, statutory=10)
    finish_case(ontime, on=date(2025, 3, 5))
    rows, _ = monitor_page(supervisor, date(2025, 3, 14), MonitorFilters(status="finished"))
    assert {c.title: c.statutory_over for c in rows} == {"迟办结": True, "按时办结": False}
    rows, _ = monitor_page(supervisor, date(2025, 3, 14), MonitorFilters(status="finished", statutory=True))
    assert [c.title for c in rows] == ["迟办结"]


@time_machine.travel(TODAY, tick=False)
def test_filters_by_region_department_type_subject_and_status(city, supervisor):
    make_case(city, "market", title="市场", subject=("A", "甲事项"))
    make_case(city, "county_approval", title="县审批", subject=("B", "乙事项"))
    make_case(city, "approval", title="其他类型", case_type="test.other", started="2025-03-13", limit=10)
    today = date(2025, 3, 14)

    def titles(**kw):
        return sorted(c.title for c in monitor_page(supervisor, today, MonitorFilters(**kw))[0])

    assert titles(region="361221") == ["县审批"]
    assert titles(region="361200") == ["其他类型", "县审批", "市场"]
    assert titles(department="SF-SCJG") == ["市场"]
    assert titles(case_type="test.other") == ["其他类型"]
    assert titles(subject="B") == ["县审批"]
    assert titles(subject="A") == ["市场"]
    assert titles(status="red") == ["县审批", "市场"]
    assert titles(status="normal") == ["其他类型"]
    counts = monitor_counts(supervisor, today, MonitorFilters(region="361221"))
    assert counts["red"] == 1 and counts["normal"] == 0


@time_machine.travel(TODAY, tick=False)
def test_the_console_monitor_shows_colours_and_counts(client, city, supervisor):
    make_case(city, title="双超期", limit=5, statutory=5)
    make_case(city, title="正常", started="2025-03-13", limit=10)
    login_staff(client, supervisor)
    response = client.get("/console/supervision/")
    page = response.content.decode()
    assert response.status_code == 200
    assert sorted(_statuses(page)) == [("normal", "0"), ("red", "1")]
    assert "超法定时限" in page
    page = client.get("/console/supervision/", {"status": "red"}).content.decode()
    assert _statuses(page) == [("red", "1")]


@time_machine.travel(TODAY, tick=False)
def test_the_monitor_has_a_pinned_query_count(client, city, supervisor, django_assert_max_num_queries):
    for i in range(60):
        make_case(city, "market" if i % 2 else "approval", title=f"案件{i}")
    login_staff(client, supervisor)
    client.get("/console/supervision/")
    # 17 for the session, user, grants and the Wagtail frame; the monitor itself: 5 counts,
    # 4 page parts (one per stored status), 3 related lookups, the region and department lists
    with django_assert_max_num_queries(30):
        response = client.get("/console/supervision/")
    assert response.status_code == 200
    assert 'page=2' in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_a_department_head_sees_only_the_department(client, city, dept_head):
    make_case(city, "market", title="本部门")
    make_case(city, "approval", title="别的部门")
    login_staff(client, dept_head)
    body = client.get("/api/v1/supervision/monitor").json()
    assert [i["title"] for i in body["items"]] == ["本部门"]
    assert body["counts"]["red"] == 1


def test_a_clerk_may_not_open_the_monitor(client, clerk):
    login_staff(client, clerk)
    assert client.get("/console/supervision/").status_code == 403
    assert client.get("/api/v1/supervision/monitor").status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_api_rejects_an_unknown_status(client, supervisor):
    login_staff(client, supervisor)
    response = client.get("/api/v1/supervision/monitor", {"status": "purple"})
    assert response.status_code == 400
    assert "未知的状态" in response.json()["message"]


@time_machine.travel(TODAY, tick=False)
def test_the_dashboard_data_has_every_chart(client, city, supervisor):
    make_case(city, title="双超期", limit=5, statutory=5)
    login_staff(client, supervisor)
    body = client.get("/api/v1/supervision/dashboard").json()
    assert {s["code"]: s["value"] for s in body["status"]}["red"] == 1
    assert len(body["trend"]["months"]) == 12 and body["trend"]["opened"][-1] == 1
    assert body["top_overdue_items"] == [{"name": "食品经营许可", "value": 1}]
    assert client.get("/console/supervision/dashboard/").status_code == 200
    screen = client.get("/console/supervision/screen/").content.decode()
    assert "vendor/echarts.min.js" in screen and "site-header" not in screen


@time_machine.travel(TODAY, tick=False)
def test_every_filter_pages_through_exactly_what_the_plain_query_selects(city, supervisor, monkeypatch):
    """The page reads each stored status through its own index and merges; the result must be
    the plain filtered query's, in order, for every filter and across page boundaries."""
    from datetime import timedelta

    from zhengtong.core.timelimits.actions import pause_case
    from zhengtong.supervision import queries

    monkeypatch.setattr(queries, "PAGE_SIZE", 4)
    depts = ["market", "approval", "county_approval"]
    for i in range(30):
        started = date(2025, 2, 3) + timedelta(days=i % 11 * 3)
        case = make_case(city, depts[i % 3], title=f"案件{i:02d}", started=started.isoformat(), limit=3 + i % 7,
                         statutory=None if i % 5 == 0 else 3 + i % 7 + (i % 4) * 3,
                         subject=("A", "甲事项") if i % 2 else ("B", "乙事项"))
        if i % 6 == 1:
            pause_case(case, on=date(2025, 3, 10), reason="现场核查")
        if i % 9 == 2:
            finish_case(case, on=date(2025, 3, 12))
    today = date(2025, 3, 14)
    filters = [{}, {"region": "361221"}, {"department": "SF-SCJG"}, {"subject": "A"},
               {"region": "361200", "department": "SF-XZSP"}]
    statuses = ["", "normal", "yellow", "red", "paused", "finished"]
    for extra in filters:
        for status in statuses:
            for statutory in (False, True):
                f = MonitorFilters(status=status, statutory=statutory, **extra)
                expected = [c.pk for c in queries.monitor_cases(supervisor, today, f)]
                got, page, more = [], 1, True
                while more:
                    rows, more = monitor_page(supervisor, today, f, page)
                    got += [r.pk for r in rows]
                    page += 1
                assert got == expected, (extra, status, statutory)
    # the filters select something: the comparison above is not between empty lists
    assert monitor_counts(supervisor, today, MonitorFilters())["statutory_over"] > 0
    assert monitor_counts(supervisor, today, MonitorFilters())["paused"] > 0
