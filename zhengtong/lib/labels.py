"""Choice labels are translated when shown (``gettext_lazy``); a few places need the text
as it is written in the source, the Chinese msgid, whatever language is active. And the
punctuation that joins labels and messages, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import pgettext


def source_text(label: Any) -> str:
    """``label`` untranslated: for matching text people wrote in Chinese (a guide's step
    names) and for data that is Chinese whatever the language of the request (demo data)."""
    with translation.override(None):
        return str(label)


def colon() -> str:
    """What follows a label before its value: "：" in Chinese, ": " in English
    ("事项编码：SCJG-001" / "Item code: SCJG-001")."""
    return pgettext("label separator", "：")


def list_separator() -> str:
    """What joins several messages into one: "；" in Chinese, "; " in English."""
    return pgettext("list separator", "；")
