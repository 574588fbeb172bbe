"""Choice labels are translated when shown (``gettext_lazy``); a few places need the text
as it is written in the source, the Chinese msgid, whatever language is active."""

from __future__ import annotations

from typing import Any

from django.utils import translation


def source_text(label: Any) -> str:
    """``label`` untranslated: for matching text people wrote in Chinese (a guide's step
    names) and for data that is Chinese whatever the language of the request (demo data)."""
    with translation.override(None):
        return str(label)
