"""Template tags every template has without ``{% load %}`` (``TEMPLATES['OPTIONS']['builtins']``)."""

from __future__ import annotations

from django import template

from zhengtong.lib import labels

register = template.Library()

# {% colon %}: "：" in Chinese, ": " in English, between a translated label and its value
register.simple_tag(labels.colon, name="colon")
