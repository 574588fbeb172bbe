from __future__ import annotations

from datetime import timedelta

import pytest

from zhengtong.core.jobs import schedule
from zhengtong.core.jobs.schedule import Job
from zhengtong.core.jobs.scheduler import run_due
from zhengtong.testing.personas import login_staff

pytestmark = pytest.mark.django_db


def test_the_system_admin_sees_the_jobs_page(client, sysadmin, monkeypatch):
    monkeypatch.setattr(schedule, "SCHEDULE", (
        Job("test.missing", "zhengtong.no_such_module.f", every=timedelta(minutes=5)),))
    run_due()
    login_staff(client, sysadmin)
    page = client.get("/console/jobs/").content.decode()
    assert "test.missing" in page and "无法入队" in page and "每 5 分钟" in page


def test_a_clerk_may_not_see_the_jobs_page(client, clerk):
    login_staff(client, clerk)
    response = client.get("/console/jobs/")
    # Wagtail turns PermissionDenied into a redirect to the dashboard with an error message.
    assert response.status_code == 302 and response["Location"] == "/console/"
