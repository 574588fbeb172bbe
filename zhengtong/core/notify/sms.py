"""SMS through a gateway interface. Deployments point ``ZT_SMS_BACKEND`` at their
operator's gateway class; the default only logs (with the number masked)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

from zhengtong.core.identifiers import mask_mobile

logger = logging.getLogger("zhengtong.notify.sms")


class SmsError(Exception):
    """The gateway refused or failed; the message says why (stored on the Message)."""


class SmsBackend:
    """Send one text to one mobile number; return the gateway's message id or raise SmsError."""

    def send(self, phone: str, text: str) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class SentSms:
    phone: str
    text: str
    gateway_id: str


class LoggingSmsBackend(SmsBackend):
    """Logs every text and keeps it in ``outbox`` (as Django's locmem mail backend does)."""

    outbox: list[SentSms] = []

    def send(self, phone: str, text: str) -> str:
        if not phone:
            raise SmsError("手机号码为空")
        gateway_id = get_random_string(16)
        LoggingSmsBackend.outbox.append(SentSms(phone, text, gateway_id))
        logger.info("sms to %s (%d chars) id=%s", mask_mobile(phone), len(text), gateway_id)
        return gateway_id


@cache
def _backend_class(path: str) -> type[SmsBackend]:
    return import_string(path)


def get_backend() -> SmsBackend:
    return _backend_class(settings.ZT_SMS_BACKEND)()
