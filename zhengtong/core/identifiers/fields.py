"""Form and model fields that validate identifiers and explain errors in Chinese."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengtong.core.identifiers import (
    IdentifierError,
    normalize_id_number,
    normalize_mobile,
    normalize_uscc,
)


def _validator(normalize: Callable[[str], str], code: str) -> Callable[[str], None]:
    def validate(value: str) -> None:
        try:
            normalize(value)
        except IdentifierError as exc:
            raise ValidationError(str(exc), code=code) from exc

    return validate


validate_id_number = _validator(normalize_id_number, "invalid_id_number")
validate_uscc = _validator(normalize_uscc, "invalid_uscc")
validate_mobile = _validator(normalize_mobile, "invalid_mobile")


class _NormalizingFormField(forms.CharField):
    normalize: Callable[[str], str]
    error_code = "invalid"

    def to_python(self, value):  # type: ignore[override]
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            return type(self).normalize(value)
        except IdentifierError as exc:
            raise ValidationError(str(exc), code=self.error_code) from exc


class IdNumberFormField(_NormalizingFormField):
    normalize = staticmethod(normalize_id_number)
    error_code = "invalid_id_number"

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 18)
        kwargs.setdefault("label", _("公民身份号码"))
        super().__init__(**kwargs)


class UsccFormField(_NormalizingFormField):
    normalize = staticmethod(normalize_uscc)
    error_code = "invalid_uscc"

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 18)
        kwargs.setdefault("label", _("统一社会信用代码"))
        super().__init__(**kwargs)


class MobileFormField(_NormalizingFormField):
    normalize = staticmethod(normalize_mobile)
    error_code = "invalid_mobile"

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("label", _("手机号码"))
        super().__init__(**kwargs)


class IdNumberField(models.CharField):
    """A resident ID number column: 18 chars, validated, stored compact and upper-case."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        if not args:
            kwargs.setdefault("verbose_name", "公民身份号码")
        super().__init__(*args, **kwargs)
        self.validators.append(validate_id_number)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value.strip().upper() if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": IdNumberFormField, **kwargs})


class UsccField(models.CharField):
    """A unified social credit code column: 18 chars, validated, stored upper-case."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        if not args:
            kwargs.setdefault("verbose_name", "统一社会信用代码")
        super().__init__(*args, **kwargs)
        self.validators.append(validate_uscc)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value.strip().upper() if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": UsccFormField, **kwargs})
