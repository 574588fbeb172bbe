from __future__ import annotations

from datetime import date

import time_machine

from zhengtong.core.timelimits.actions import open_case
from zhengtong.core.timelimits.registry import register_case_type
from zhengtong.testing.personas import login_staff

register_case_type("test.monitor", "监控测试", default_limit_days=20)


def _open(city, dept: str, title: str, started: str = "2025-03-03"):
    return open_case(case_type="test.monitor", object_type="t", object_id=title, title=title,
                     department=city.dept(dept), started_on=date.fromisoformat(started),
                     today=date.fromisoformat(started))


@time_machine.travel("2025-03-28 10:00 +0800", tick=False)
def test_the_monitor_shows_only_cases_in_scope(client, city, clerk):
    _open(city, "approval", "本局案件")
    _open(city, "county_approval", "县里案件")
    login_staff(client, clerk)
    page = client.get("/console/timelimits/").content.decode()
    assert "本局案件" in page and "县里案件" not in page
    assert 'data-status="yellow"' in page


@time_machine.travel("2025-03-28 10:00 +0800", tick=False)
def test_the_monitor_filters_by_status(client, city, supervisor):
    _open(city, "approval", "黄牌案件")
    _open(city, "county_approval", "正常案件", "2025-03-20")
    login_staff(client, supervisor)
    page = client.get("/console/timelimits/", {"status": "normal"}).content.decode()
    assert "正常案件" in page and "黄牌案件" not in page


@time_machine.travel("2025-03-28 10:00 +0800", tick=False)
def test_the_monitor_list_has_a_pinned_query_count(client, city, supervisor, django_assert_max_num_queries):
    for i in range(20):
        _open(city, "approval", f"案件{i}")
    login_staff(client, supervisor)
    with django_assert_max_num_queries(25):
        assert client.get("/console/timelimits/").status_code == 200


def test_the_monitor_is_forbidden_without_the_view_permission(client, sysadmin):
    login_staff(client, sysadmin)
    assert client.get("/console/timelimits/").status_code == 403


@time_machine.travel("2025-03-28 10:00 +0800", tick=False)
def test_api_lists_cases_in_scope_with_live_status(client, city, clerk):
    case = _open(city, "approval", "本局案件")
    _open(city, "county_approval", "县里案件")
    login_staff(client, clerk)
    body = client.get("/api/v1/timelimits/cases").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == case.pk and item["status"] == "yellow" and item["department"] == "SF-XZSP"
    assert item["due_date"] == "2025-03-31"


@time_machine.travel("2025-04-02 10:00 +0800", tick=False)
def test_api_counts_by_status(client, city, supervisor):
    _open(city, "approval", "超期")
    _open(city, "approval", "正常", "2025-04-01")
    login_staff(client, supervisor)
    assert client.get("/api/v1/timelimits/counts").json() == {"normal": 1, "yellow": 0, "red": 1, "paused": 0}


def test_api_rejects_an_unknown_status_in_chinese(client, supervisor):
    login_staff(client, supervisor)
    response = client.get("/api/v1/timelimits/cases", {"status": "purple"})
    assert response.status_code == 400 and "未知的状态" in response.json()["message"]


def test_api_is_forbidden_without_the_view_permission(client, sysadmin):
    login_staff(client, sysadmin)
    assert client.get("/api/v1/timelimits/counts").status_code == 403
