from __future__ import annotations

import pytest

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.notify import actions
from zhengtong.core.notify.models import Message, Status
from zhengtong.testing import personas as P
from zhengtong.testing.personas import login_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(applicant):
    [message] = actions.send(applicant, subject="我的办件通知", body="请补正材料。", link="/inbox/")
    actions.write_pending()  # as a commit would: the message gets its id
    return message


@pytest.fixture
def neighbour(city):
    return P.citizen("110101199003071233", "王强", "13900000009")


@pytest.fixture
def theirs(neighbour):
    [message] = actions.send(neighbour, subject="别人的通知", body="不该看到")
    actions.write_pending()  # as a commit would
    return message


def test_the_inbox_shows_only_my_messages(client, applicant, mine, theirs):
    client.force_login(applicant)
    page = client.get("/inbox/").content.decode()
    assert "我的办件通知" in page and "别人的通知" not in page
    assert "未读消息 1 条" in page


def test_marking_read_updates_status_and_audits(client, applicant, mine):
    client.force_login(applicant)
    response = client.post(f"/inbox/{mine.pk}/read/", {"next": "/inbox/"})
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    mine.refresh_from_db()
    assert mine.status == Status.READ and mine.read_at
    assert AuditEntry.objects.filter(action="notify.message.read", object_id=str(mine.pk)).exists()
    assert "未读消息 0 条" in client.get("/inbox/").content.decode()


def test_marking_someone_elses_message_is_404(client, applicant, theirs):
    client.force_login(applicant)
    assert client.post(f"/inbox/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_needs_post_and_login(client, applicant, mine):
    assert client.post(f"/inbox/{mine.pk}/read/").status_code == 302  # to the login page
    client.force_login(applicant)
    assert client.get(f"/inbox/{mine.pk}/read/").status_code == 405


def test_mark_all_read(client, applicant, mine):
    actions.send(applicant, subject="第二条", body="b")
    client.force_login(applicant)
    client.post("/inbox/read-all/")
    assert not Message.objects.filter(recipient=applicant, read_at__isnull=True).exists()


def test_an_offsite_next_is_ignored(client, applicant, mine):
    client.force_login(applicant)
    response = client.post(f"/inbox/{mine.pk}/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/inbox/"


def test_staff_see_their_inbox_in_the_console(client, clerk):
    actions.send(clerk, subject="督办提醒", body="请于今日办结。")
    login_staff(client, clerk)
    page = client.get("/console/inbox/").content.decode()
    assert "督办提醒" in page
    assert "/console/inbox/" in client.get("/console/").content.decode()  # the sidebar's menu item


def test_the_api_lists_my_messages_and_marks_them_read(client, applicant, mine, theirs):
    client.force_login(applicant)
    listing = client.get("/api/v1/notify/messages").json()
    assert [m["subject"] for m in listing["items"]] == ["我的办件通知"] and listing["items"][0]["unread"]
    assert client.get("/api/v1/notify/messages/unread-count").json() == {"unread": 1}
    assert client.post(f"/api/v1/notify/messages/{mine.pk}/read").status_code == 200
    assert client.post(f"/api/v1/notify/messages/{theirs.pk}/read").status_code == 404
    assert client.get("/api/v1/notify/messages?unread=true").json()["items"] == []


def test_opening_a_message_marks_it_read_and_follows_its_link(client, applicant):
    [message] = actions.send(applicant, subject="s", body="b", link="/accounts/me/")
    actions.write_pending()  # as a commit would: the message gets its id
    client.force_login(applicant)
    response = client.post(f"/inbox/{message.pk}/read/", {"open": "1"})
    assert response["Location"] == "/accounts/me/"
    message.refresh_from_db()
    assert message.read_at is not None


def test_the_inbox_query_count_does_not_grow_with_messages(client, applicant, mine):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(applicant)
    with CaptureQueriesContext(connection) as one:
        client.get("/inbox/")
    for n in range(10):
        actions.send(applicant, subject=f"通知 {n}", body="b")
    actions.write_pending()  # as the senders' commits would
    with CaptureQueriesContext(connection) as eleven:
        client.get("/inbox/")
    assert len(eleven) == len(one)
