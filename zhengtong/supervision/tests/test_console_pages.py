from __future__ import annotations

from zhengtong.testing.personas import login_staff


def test_the_supervision_menu_and_pages_open_for_a_supervisor(client, supervisor):
    login_staff(client, supervisor)
    home = client.get("/console/").content.decode()
    assert "/console/supervision/scorecards/" in home and "/console/supervision/dashboard/" in home
    for url in ("/console/supervision/directives/", "/console/supervision/directives/new/",
                "/console/supervision/follow-ups/", "/console/supervision/scorecards/"):
        assert client.get(url).status_code == 200, url


def test_a_department_head_sees_the_pages_of_the_department(client, dept_head):
    login_staff(client, dept_head)
    for url in ("/console/supervision/", "/console/supervision/directives/", "/console/supervision/follow-ups/",
                "/console/supervision/scorecards/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/console/supervision/directives/new/").status_code == 403
