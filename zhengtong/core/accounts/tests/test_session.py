from __future__ import annotations

from datetime import timedelta

import time_machine
from django.conf import settings
from django.utils import timezone

from zhengtong.testing.personas import login_staff


def test_the_idle_timeout_is_thirty_minutes_and_renewed_by_each_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


def test_an_idle_citizen_session_expires(client, applicant):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post("/accounts/login/", {"username": "13800000001", "password": "Zt-Test-Passw0rd"})
        assert client.get("/accounts/me/").status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert client.get("/accounts/me/").status_code == 200  # activity renews the session
        traveller.shift(timedelta(minutes=29))
        assert client.get("/accounts/me/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get("/accounts/me/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_idle_staff_session_expires(client, clerk):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        login_staff(client, clerk)
        assert client.get("/console/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get("/console/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
