"""The audit admin's log viewer: filters, paging, before/after, the chain check; reading is audited."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhengtong.core.audit.log import record, write_pending
from zhengtong.core.audit.models import AuditEntry
from zhengtong.testing.audit import tamper
from zhengtong.testing.personas import login_staff

LOG = "/console/audit/log/"


def test_reading_the_log_is_itself_audited(client, auditadmin):
    login_staff(client, auditadmin)
    response = client.get(LOG, {"action": "accounts.", "p": "1"})
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(action="audit.log.viewed").latest("seq")
    assert entry.actor_id == auditadmin.pk and entry.after == {"filter": {"action": "accounts."}, "page": 1}


def test_filters_narrow_the_log(client, auditadmin, city):
    record("test.widget.changed", object_type="test.widget", object_id="7", object_repr="七号小部件",
           before={"颜色": "红"}, after={"颜色": "蓝"})
    login_staff(client, auditadmin)
    html = client.get(LOG, {"action": "test.widget"}).content.decode()
    assert "七号小部件" in html and "accounts.staff.created" not in html
    assert "&quot;颜色&quot;: &quot;红&quot;" in html and "&quot;颜色&quot;: &quot;蓝&quot;" in html
    assert "七号小部件" in client.get(LOG, {"obj": "七号"}).content.decode()
    assert "七号小部件" not in client.get(LOG, {"obj": "八号"}).content.decode()
    assert "accounts.login.succeeded" in client.get(LOG, {"actor": "审计管理员"}).content.decode()


def test_the_date_range_is_inclusive_of_whole_days(client, auditadmin):
    login_staff(client, auditadmin)
    today = timezone.localdate()
    assert "accounts.staff.created" in client.get(LOG, {"date_from": today, "date_to": today}).content.decode()
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert "accounts.staff.created" not in client.get(LOG, {"date_from": tomorrow}).content.decode()
    assert client.get(LOG, {"date_from": "not-a-date"}).status_code == 200


def test_the_log_is_paginated(client, auditadmin):
    for i in range(60):
        record("test.bulk.item", object_type="test.bulk", object_id=str(i))
    login_staff(client, auditadmin)
    first = client.get(LOG, {"action": "test.bulk"}).content.decode()
    assert "第 1 / 2 页" in first and "p=2" in first and "action=test.bulk" in first
    second = client.get(LOG, {"action": "test.bulk", "p": "2"}).content.decode()
    assert "第 2 / 2 页" in second


def test_the_chain_check_reports_an_intact_chain(client, auditadmin):
    login_staff(client, auditadmin)
    response = client.post(f"{LOG}verify/", follow=True)
    assert "审计链完整" in response.content.decode()
    assert AuditEntry.objects.filter(action="audit.chain.verified", after__ok=True).exists()


def test_the_chain_check_names_a_tampered_entry(client, auditadmin):
    victim = record("test.thing.changed", object_type="test.thing", object_id="1", after={"n": 1})
    write_pending()  # as a commit would
    with tamper():
        AuditEntry.objects.filter(pk=victim.pk).update(after={"n": 2})
    login_staff(client, auditadmin)
    html = client.post(f"{LOG}verify/", follow=True).content.decode()
    assert "审计链校验失败" in html and f"#{victim.seq}" in html


def test_the_chain_check_needs_a_post_and_the_right_role(client, auditadmin, sysadmin):
    login_staff(client, auditadmin)
    assert client.get(f"{LOG}verify/").status_code == 405
    client.logout()
    login_staff(client, sysadmin)
    assert client.post(f"{LOG}verify/").status_code == 403
    assert not AuditEntry.objects.filter(action__in=["audit.chain.verified", "audit.log.viewed"]).exists()


def test_the_verify_button_shows_only_to_those_who_may_verify(client, auditadmin):
    login_staff(client, auditadmin)
    assert "校验审计链" in client.get(LOG).content.decode()
