"""Password policy (等保 2.0): at least 10 characters from at least 3 of 4 classes."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_CLASSES = (re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"\d"), re.compile(r"[^a-zA-Z\d]"))


def _contains_identifier(password: str, user: object) -> bool:
    """Citizens log in by ID number or mobile, so both count as the user's name here."""
    lowered = password.lower()
    for attr in ("username", "mobile"):
        value = (getattr(user, attr, "") or "").lower()
        if value and value in lowered:
            return True
    return False


class StrongPasswordValidator:
    def __init__(self, min_length: int = 10, min_classes: int = 3) -> None:
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password: str, user: object = None) -> None:
        errors: list[ValidationError] = []
        if len(password) < self.min_length:
            errors.append(ValidationError(
                _("密码至少需要 %(n)d 个字符") % {"n": self.min_length}, code="password_too_short"))
        if sum(1 for pattern in _CLASSES if pattern.search(password)) < self.min_classes:
            errors.append(ValidationError(
                _("密码需包含大写字母、小写字母、数字、符号中的至少 %(n)d 类") % {"n": self.min_classes},
                code="password_too_simple"))
        if _contains_identifier(password, user):
            errors.append(ValidationError(_("密码不能包含用户名或手机号码"), code="password_contains_username"))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return _("至少 %(n)d 个字符，含大写字母、小写字母、数字、符号中的至少 3 类，且不含用户名或手机号码") % {
            "n": self.min_length}
