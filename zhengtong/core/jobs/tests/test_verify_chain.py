from __future__ import annotations

import pytest

from zhengtong.core.audit.log import record, write_pending
from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.jobs.tasks import verify_audit_chain
from zhengtong.core.notify.models import Message
from zhengtong.testing.audit import tamper

pytestmark = pytest.mark.django_db


def test_an_intact_chain_is_recorded_and_nobody_is_alerted(auditadmin):
    record("test.something", actor=auditadmin)
    outcome = verify_audit_chain.call()
    assert outcome["ok"] and outcome["checked"] >= 1
    entry = AuditEntry.objects.filter(action="audit.chain.verified").get()
    assert entry.after["ok"] is True
    assert not Message.objects.exists()


def test_a_broken_chain_alerts_the_audit_admins(auditadmin, sysadmin):
    first = record("test.something", actor=sysadmin)
    record("test.other", actor=sysadmin)
    write_pending()  # as a commit would
    with tamper():
        AuditEntry.objects.filter(pk=first.pk).update(object_repr="改过了")
    outcome = verify_audit_chain.call()
    assert outcome["ok"] is False and outcome["problem"]["kind"] == "hash"
    alerted = set(Message.objects.filter(channel="inbox").values_list("recipient__username", flat=True))
    assert alerted == {"audit.admin"}
    assert "被篡改" in Message.objects.filter(channel="inbox").get().body
