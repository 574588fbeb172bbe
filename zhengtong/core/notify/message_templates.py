"""Named message templates: Chinese text with named placeholders, registered by apps.

    register_template("services.accepted", _("办件已受理"), _("您的办件 %(number)s 已受理。"))
    notify.send([user], **render("services.accepted", number="SF2025…"), template="services.accepted")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MessageTemplate:
    code: str
    subject: str | Promise
    body: str | Promise


TEMPLATES: dict[str, MessageTemplate] = {}


class UnknownTemplate(KeyError):
    pass


def register_template(code: str, subject: str | Promise, body: str | Promise) -> MessageTemplate:
    template = MessageTemplate(code, subject, body)
    TEMPLATES[code] = template
    return template


def render(code: str, **context: Any) -> dict[str, str]:
    """``{"subject": …, "body": …}`` with the placeholders filled; a missing one raises KeyError."""
    try:
        template = TEMPLATES[code]
    except KeyError:
        raise UnknownTemplate(code) from None
    return {"subject": str(template.subject) % context, "body": str(template.body) % context}


# The spine's own templates.
register_template("audit.chain_broken", _("审计链校验失败"),
                  _("夜间校验发现审计日志哈希链异常：%(problem)s 请立即核查。"))
register_template("calendar.next_year_missing", _("下一年度工作日历尚未维护"),
                  _("%(year)s 年的法定节假日安排尚未录入，请在国务院办公厅发布通知后及时维护工作日历。"))
register_template("jobs.failed", _("后台任务失败"), _("后台任务“%(name)s”执行失败：%(error)s"))
