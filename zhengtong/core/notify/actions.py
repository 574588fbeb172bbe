"""Send messages and record them; deliver e-mail and SMS in the background.

``send`` makes one ``Message`` per recipient and channel with the caller's transaction: the
transaction's messages are written together just before it commits, in one INSERT (as audit
entries are; ``core.db.pending``), so a rolled-back action sends nothing; e-mail and SMS are
queued for the task worker in the same transaction (database task queue) or after the commit
(any other task backend). Delivery claims a message (queued → sending)
with a conditional update, so a task run twice, or by two workers, sends it once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import connection, router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.core.audit.log import record
from zhengtong.core.db.backends import before_commit
from zhengtong.core.db.inserts import insert
from zhengtong.core.db.pending import AT_COMMIT, Waiting, mark_written, waiting
from zhengtong.core.notify.message_templates import TEMPLATES, render
from zhengtong.core.notify.models import Channel, Message, Status
from zhengtong.core.notify.sms import get_backend

logger = logging.getLogger("zhengtong.notify")

MAX_ATTEMPTS = 3
STALE_SENDING = timedelta(hours=1)


class Undeliverable(Exception):
    """The recipient has no address for this channel: retrying cannot help."""


def _recipient_ids(recipients: Any) -> list[int]:
    """A user, users or user ids → their ids, each once, in the given order."""
    if hasattr(recipients, "_meta") or isinstance(recipients, int):
        recipients = [recipients]
    ids = (getattr(user, "pk", user) for user in recipients if user is not None)
    return list(dict.fromkeys(ids))


def _fill(template: str, subject: str, body: str, context: dict[str, Any] | None) -> tuple[str, str]:
    if template in TEMPLATES and (not subject or not body):
        rendered = render(template, **(context or {}))
        return subject or rendered["subject"], body or rendered["body"]
    return subject, body


@transaction.atomic(savepoint=False)
def send(recipients: Any, *, subject: str = "", body: str = "", channels: Sequence[str] = (Channel.INBOX,),
         link: str = "", template: str = "", obj: Any = None, context: dict[str, Any] | None = None,
         actor: Any = None) -> list[Message]:
    """Record a message for every recipient (a user, users or user ids) and channel; e-mail and
    SMS are queued with the commit. The messages get their ids when the transaction commits (or when
    it reads messages)."""
    subject, body = _fill(template, subject, body, context)
    if not subject or not body:
        raise ValueError("a message needs a subject and a body (or a registered template)")
    for channel in channels:
        Channel(channel)  # an unknown channel is a programming error: fail loudly
    users = _recipient_ids(recipients)
    now = timezone.now()
    related = {"object_type": obj._meta.label_lower, "object_id": str(obj.pk)} if obj is not None else {}
    messages = [
        Message(recipient_id=user, channel=channel, subject=subject[:200], body=body, link=link, template=template,
                status=Status.SENT if channel == Channel.INBOX else Status.QUEUED,
                sent_at=now if channel == Channel.INBOX else None, **related)
        for user in users for channel in channels
    ]
    if messages:
        transaction.on_commit(_Outgoing(messages))
        record("notify.sent", actor=actor, obj=obj, after={
            "template": template, "subject": subject[:200], "channels": list(channels), "recipients": len(users)})
    return messages


class _Outgoing(Waiting):
    """One send's messages, held for the commit (``core.db.pending``). The e-mail and SMS
    among them go to the task worker: queued with the messages' own write when the task queue
    is a table of the same database (committed together — an accepted message cannot be lost
    between the commit and its queueing), else after the commit, one task per send."""

    __slots__ = ("messages", "queued")

    def __init__(self, messages: list[Message]) -> None:
        super().__init__()
        self.messages = messages
        self.queued = False

    def __call__(self) -> None:
        if self.queued:
            return
        if self.written_by is None:  # run without a commit before it (tests that run the hooks)
            insert(self.messages)
            self.written_by = AT_COMMIT
        _deliver(self.messages)


@before_commit
def write_pending(conn=None) -> int:
    """Write the transaction's waiting messages in one INSERT; returns how many. Run by the
    database backends just before each commit, and by ``Message.objects`` before a read
    inside a transaction."""
    conn = conn or connection
    if not conn.run_on_commit or conn.needs_rollback:
        return 0
    hooks = waiting(conn, _Outgoing)
    messages = [message for hook in hooks for message in hook.messages]
    if messages:
        insert(messages, using=conn.alias)
        mark_written(conn, hooks)
        if _queue_is_in(conn.alias):
            _deliver(messages)  # one task for the transaction's messages, in the transaction
            for hook in hooks:
                hook.queued = True
    return len(messages)


def _queue_is_in(alias: str) -> bool:
    """Whether delivery tasks are rows of database ``alias`` (the database task backend)."""
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    from zhengtong.core.notify.tasks import deliver_messages

    return isinstance(deliver_messages.get_backend(), DatabaseBackend) and router.db_for_write(DBTaskResult) == alias


def _deliver(messages: list[Message]) -> None:
    """Hand the e-mail and SMS among ``messages`` (written: they have ids) to the task worker."""
    outgoing = [message.pk for message in messages if message.channel != Channel.INBOX]
    if outgoing:
        _enqueue(*outgoing)


def _enqueue(*message_ids: int) -> None:
    from zhengtong.core.notify.tasks import deliver_message, deliver_messages

    if len(message_ids) == 1:
        deliver_message.enqueue(message_ids[0])
    else:
        deliver_messages.enqueue(list(message_ids))


def deliver(message_id: int) -> str:
    """Send one queued e-mail or SMS once; anything else is left as it is."""
    message = Message.objects.select_related("recipient").filter(pk=message_id).first()
    if message is None or message.channel == Channel.INBOX or message.status != Status.QUEUED:
        return "skipped"
    claimed = Message.objects.filter(pk=message_id, status=Status.QUEUED).update(
        status=Status.SENDING, attempts=F("attempts") + 1, sent_at=timezone.now())
    if not claimed:
        return "skipped"
    try:
        _transport(message)
    except Exception as exc:  # any gateway error is recorded on the message, never lost
        _fail(message, exc)
        return "failed"
    Message.objects.filter(pk=message_id, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), error="")
    return "sent"


def _fail(message: Message, exc: Exception) -> None:
    logger.warning("notify: %s message %s failed: %s", message.channel, message.pk, exc.__class__.__name__)
    changes: dict[str, Any] = {"status": Status.FAILED, "error": (str(exc) or exc.__class__.__name__)[:2000]}
    if isinstance(exc, Undeliverable):
        changes["attempts"] = MAX_ATTEMPTS
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(**changes)


def _absolute(link: str) -> str:
    return f"{settings.ZT_PUBLIC_URL.rstrip('/')}{link}" if link.startswith("/") else link


def _transport(message: Message) -> None:
    user = message.recipient
    if message.channel == Channel.EMAIL:
        if not user.email:
            raise Undeliverable(_("用户未登记电子邮箱"))
        body = f"{message.body}\n\n{_absolute(message.link)}" if message.link else message.body
        send_mail(message.subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
    elif message.channel == Channel.SMS:
        if not user.mobile:
            raise Undeliverable(_("用户未登记手机号码"))
        get_backend().send(user.mobile, f"【{settings.ZT_SITE_NAME}】{message.body}")


def retry_failed() -> int:
    """Queue again the failed (and abandoned) e-mails and texts that still have attempts left."""
    stale = timezone.now() - STALE_SENDING
    Message.objects.filter(status=Status.SENDING, sent_at__lt=stale).update(
        status=Status.FAILED, error=_("投递中断（发送进程异常退出）"))
    ids = list(Message.objects.filter(status=Status.FAILED, attempts__lt=MAX_ATTEMPTS)
               .exclude(channel=Channel.INBOX).values_list("pk", flat=True)[:1000])
    count = 0
    for message_id in ids:
        with transaction.atomic():
            if Message.objects.filter(pk=message_id, status=Status.FAILED).update(status=Status.QUEUED):
                transaction.on_commit(partial(_enqueue, message_id))
                count += 1
    return count


@transaction.atomic
def do_mark_read(message: Message, *, actor: Any) -> bool:
    """Mark one of the actor's inbox messages read; False when it already was."""
    if message.recipient_id != actor.pk:
        raise PermissionDenied(_("只能标记自己的消息"))
    updated = Message.objects.filter(pk=message.pk, channel=Channel.INBOX, read_at__isnull=True).update(
        status=Status.READ, read_at=timezone.now())
    if updated:
        record("notify.message.read", actor=actor, obj=message)
    return bool(updated)


@transaction.atomic
def do_mark_all_read(*, actor: Any) -> int:
    """Mark every unread inbox message of the actor read."""
    updated = Message.objects.filter(recipient=actor, channel=Channel.INBOX, read_at__isnull=True).update(
        status=Status.READ, read_at=timezone.now())
    if updated:
        record("notify.message.read_all", actor=actor, object_type="notify.message",
               object_id=str(actor.pk), after={"count": updated})
    return updated

