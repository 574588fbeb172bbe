"""Template tags every template has without ``{% load %}`` (``TEMPLATES['OPTIONS']['builtins']``)."""

from __future__ import annotations

from django import template
from django.utils.translation import pgettext

register = template.Library()


@register.simple_tag
def colon() -> str:
    """What follows a label before its value, in the reader's language: "：" in Chinese,
    ": " in English ("事项编码：SCJG-001" / "Item code: SCJG-001")."""
    return pgettext("label separator", "：")
