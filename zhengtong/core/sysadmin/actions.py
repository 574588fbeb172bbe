"""The system admin's writes that need a guard of their own; the rest are ``core.accounts`` actions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhengtong.core.accounts.actions import do_set_user_active


def check_set_user_active(*, actor, user, active: bool) -> None:
    """Deactivate or reactivate an account; an admin never locks themself out."""
    if user.pk == actor.pk and not active:
        raise ValidationError(_("不能停用自己的账号"), code="self")
    do_set_user_active(actor=actor, user=user, active=active)
