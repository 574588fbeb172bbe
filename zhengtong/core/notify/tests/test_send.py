from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.notify import actions
from zhengtong.core.notify.message_templates import UnknownTemplate, render
from zhengtong.core.notify.models import Channel, Message, Status
from zhengtong.core.notify.sms import LoggingSmsBackend, SmsBackend, SmsError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    LoggingSmsBackend.outbox.clear()
    yield
    LoggingSmsBackend.outbox.clear()


def _send_all(user, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return actions.send([user], subject="办件已受理", body="您的办件已受理。",
                            channels=("inbox", "email", "sms"), **kwargs)


def test_it_records_a_message_for_every_channel(applicant, django_capture_on_commit_callbacks):
    applicant.email = "lijuan@example.cn"
    applicant.save()
    _send_all(applicant, django_capture_on_commit_callbacks, link="/inbox/")
    rows = {m.channel: m for m in Message.objects.filter(recipient=applicant)}
    assert set(rows) == {"inbox", "email", "sms"}
    assert all(m.status == Status.SENT and m.sent_at for m in rows.values())
    assert AuditEntry.objects.filter(action="notify.sent").count() == 1


def test_email_goes_through_django_mail(applicant, django_capture_on_commit_callbacks):
    applicant.email = "lijuan@example.cn"
    applicant.save()
    _send_all(applicant, django_capture_on_commit_callbacks, link="/inbox/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lijuan@example.cn"]
    assert mail.outbox[0].subject == "办件已受理"
    assert mail.outbox[0].body.endswith("/inbox/")


def test_sms_goes_through_the_logging_backend_with_the_number_masked(applicant, caplog,
                                                                     django_capture_on_commit_callbacks):
    with caplog.at_level("INFO", logger="zhengtong.notify.sms"):
        _send_all(applicant, django_capture_on_commit_callbacks)
    assert [s.phone for s in LoggingSmsBackend.outbox] == ["13800000001"]
    assert "您的办件已受理。" in LoggingSmsBackend.outbox[0].text
    assert "138****0001" in caplog.text and "13800000001" not in caplog.text


def test_nothing_is_delivered_when_the_callers_transaction_rolls_back(applicant,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            actions.send(applicant, subject="s", body="b", channels=("sms",))
            raise RuntimeError
    assert callbacks == [] and not Message.objects.exists() and LoggingSmsBackend.outbox == []


def test_a_missing_address_is_recorded_as_failed_and_not_retried(applicant, django_capture_on_commit_callbacks):
    _send_all(applicant, django_capture_on_commit_callbacks)  # the applicant has no e-mail
    email = Message.objects.get(channel=Channel.EMAIL)
    assert email.status == Status.FAILED and "电子邮箱" in email.error
    assert actions.retry_failed() == 0


class _BrokenGateway(SmsBackend):
    def send(self, phone: str, text: str) -> str:
        raise SmsError("网关超时")


def test_a_gateway_failure_is_recorded_and_retried(applicant, settings, django_capture_on_commit_callbacks):
    settings.ZT_SMS_BACKEND = f"{__name__}._BrokenGateway"
    with django_capture_on_commit_callbacks(execute=True):
        [message] = actions.send(applicant, subject="s", body="b", channels=("sms",))
    message.refresh_from_db()
    assert (message.status, message.error, message.attempts) == (Status.FAILED, "网关超时", 1)

    settings.ZT_SMS_BACKEND = "zhengtong.core.notify.sms.LoggingSmsBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.retry_failed() == 1
    message.refresh_from_db()
    assert (message.status, message.error, message.attempts) == (Status.SENT, "", 2)


def test_redelivery_of_a_sent_message_sends_nothing(applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [message] = actions.send(applicant, subject="s", body="b", channels=("sms",))
    assert actions.deliver(message.pk) == "skipped"
    assert actions.deliver(10**9) == "skipped"  # a deleted message is tolerated
    assert len(LoggingSmsBackend.outbox) == 1


def test_templates_fill_named_placeholders(applicant):
    [message] = actions.send(applicant, template="jobs.failed", context={"name": "x", "error": "boom"})
    assert message.subject == "后台任务失败" and "“x”" in message.body and "boom" in message.body
    with pytest.raises(UnknownTemplate):
        render("no.such.template")
    with pytest.raises(KeyError):
        render("jobs.failed", name="x")


def test_related_object_is_recorded(applicant, clerk):
    [message] = actions.send(applicant, subject="s", body="b", obj=clerk)
    assert (message.object_type, message.object_id) == ("accounts.user", str(clerk.pk))


def test_an_unknown_channel_is_refused(applicant):
    with pytest.raises(ValueError):
        actions.send(applicant, subject="s", body="b", channels=("pigeon",))


@pytest.mark.django_db(transaction=True)
def test_with_the_database_task_queue_deliveries_are_queued_in_the_senders_transaction(applicant, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "zhengtong.core.jobs.backend.DatabaseBackend"}}
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.send(applicant, subject="s", body="b", channels=("sms",))
        actions.write_pending()  # as the commit would
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError
    assert not DBTaskResult.objects.exists() and not Message.objects.exists()  # gone with the rollback
    with transaction.atomic():
        actions.send(applicant, subject="s", body="b", channels=("inbox", "sms", "email"))
        actions.send(applicant, subject="s2", body="b2", channels=("sms",))
    [task] = DBTaskResult.objects.all()  # one task for the transaction; nothing more after the commit
    outgoing = list(Message.objects.exclude(channel="inbox").order_by("pk").values_list("pk", flat=True))
    assert len(outgoing) == 3
    assert task.task_path == "zhengtong.core.notify.tasks.deliver_messages"
    assert task.args_kwargs == {"args": [outgoing], "kwargs": {}}
    assert LoggingSmsBackend.outbox == []  # the worker delivers, not the sender
