"""The unread-message badge next to the user's name in the public header."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from zhengtong.core.notify import actions
from zhengtong.core.notify.context_processors import unread_messages
from zhengtong.core.notify.models import Channel, Message
from zhengtong.testing import personas as P
from zhengtong.testing.personas import login_staff

pytestmark = pytest.mark.django_db

BADGE = re.compile(r'<a href="(?P<href>[^"]+)" data-testid="unread-badge"[^>]*>(?P<text>[^<]*)</a>')


def badge(page: str) -> tuple[str, str] | None:
    found = BADGE.search(page)
    return (found["href"], found["text"]) if found else None


def notify_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "notify_message" in q["sql"]]


def test_the_header_shows_the_unread_count_next_to_the_name_linking_to_the_inbox(client, applicant):
    actions.send(applicant, subject="办件已受理", body="b")
    actions.send(applicant, subject="证照已签发", body="b")
    client.force_login(applicant)
    page = client.get("/").content.decode()
    assert badge(page) == ("/inbox/", "2")
    name = re.search(r'data-testid="user-name">(.*?)</span>', page, re.S)
    assert name and name.group(1).startswith(str(applicant)) and 'data-testid="unread-badge"' in name.group(1)
    assert 'aria-label="未读消息 2 条"' in page


def test_only_my_unread_inbox_messages_count(client, applicant):
    [read] = actions.send(applicant, subject="已读", body="b")
    actions.write_pending()  # as a commit would: the message gets its id
    actions.do_mark_read(read, actor=applicant)
    actions.send(applicant, subject="未读", body="b")
    actions.send(applicant, subject="短信", body="b", channels=[Channel.SMS])  # not an inbox message
    actions.send(P.citizen("110101199003071233", "王强", "13900000009"), subject="别人的", body="b")
    client.force_login(applicant)
    assert badge(client.get("/").content.decode()) == ("/inbox/", "1")


def test_zero_unread_shows_no_badge(client, applicant):
    client.force_login(applicant)
    page = client.get("/").content.decode()
    assert badge(page) is None and 'data-testid="unread-badge"' not in page
    assert "/inbox/" in page  # the "我的消息" link is still there


def test_reading_the_messages_removes_the_badge(client, applicant):
    actions.send(applicant, subject="通知", body="b")
    client.force_login(applicant)
    assert badge(client.get("/").content.decode()) == ("/inbox/", "1")
    client.post("/inbox/read-all/")
    assert badge(client.get("/").content.decode()) is None


def test_a_large_count_is_capped_at_99_plus(client, applicant):
    Message.objects.bulk_create(Message(recipient=applicant, channel=Channel.INBOX, subject=f"通知 {n}", body="b")
                                for n in range(100))
    client.force_login(applicant)
    page = client.get("/").content.decode()
    assert badge(page) == ("/inbox/", "99+") and 'aria-label="未读消息 100 条"' in page


def test_staff_badge_links_to_the_console_inbox(client, clerk):
    actions.send(clerk, subject="督办提醒", body="b")
    login_staff(client, clerk)
    assert badge(client.get("/").content.decode()) == ("/console/inbox/", "1")


def test_anonymous_visitors_get_no_badge_and_no_query(client, city):
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert badge(page) is None and notify_queries(queries) == []
    assert unread_messages(RequestFactory().get("/")) == {}  # no user at all
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert unread_messages(request) == {}


def test_the_header_costs_one_count_query(client, applicant):
    actions.send(applicant, subject="通知", body="b")
    actions.write_pending()  # as the sender's commit would
    client.force_login(applicant)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    [sql] = notify_queries(queries)
    assert "COUNT(" in sql.upper()


def test_the_count_is_lazy_and_cached(applicant):
    actions.send(applicant, subject="通知", body="b")
    actions.write_pending()  # as the sender's commit would
    request = RequestFactory().get("/")
    request.user = applicant
    with CaptureQueriesContext(connection) as queries:
        context = unread_messages(request)
    assert notify_queries(queries) == []  # a page that never shows the badge pays nothing
    with CaptureQueriesContext(connection) as queries:
        assert context["zt_unread"]() == 1 and context["zt_unread"]() == 1
    assert len(notify_queries(queries)) == 1
