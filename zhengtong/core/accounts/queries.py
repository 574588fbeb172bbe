"""Reads of accounts: the masked profile a user sees of themselves, and the staff lookup."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhengtong.core.accounts.models import CitizenProfile, User, UserKind
from zhengtong.core.identifiers import (
    IdentifierError,
    mask_mobile,
    normalize_id_number,
)


def masked_profile(user: User) -> dict[str, Any]:
    """The user's own profile with personal numbers masked (shown on screen and by the API)."""
    data: dict[str, Any] = {
        "kind": user.kind, "kind_label": str(UserKind(user.kind).label), "display_name": user.display_name,
        "mobile": mask_mobile(user.mobile), "email": user.email,
    }
    citizen = getattr(user, "citizen", None) if user.kind == UserKind.CITIZEN else None
    if citizen is not None:
        data.update(id_number=citizen.masked_id_number, birth_date=citizen.birth_date.isoformat(),
                    gender=citizen.gender, gender_label=citizen.get_gender_display(),
                    verified=citizen.verified_at is not None)
    enterprise = getattr(user, "enterprise", None) if user.kind == UserKind.ENTERPRISE else None
    if enterprise is not None:
        data.update(uscc=enterprise.uscc, name=enterprise.name, legal_rep_name=enterprise.legal_rep_name,
                    legal_rep_id_number=enterprise.masked_legal_rep_id_number, address=enterprise.address)
    return data


def citizens_for_lookup(q: str = "") -> QuerySet[CitizenProfile]:
    """Citizens matching a full ID number, a full mobile or part of a name (newest first)."""
    qs = CitizenProfile.objects.select_related("user").order_by("-user__date_joined", "-id")
    q = (q or "").strip()
    if not q:
        return qs
    try:
        return qs.filter(id_number=normalize_id_number(q))
    except IdentifierError:
        pass
    if q.isdigit():
        return qs.filter(user__mobile=q)
    return qs.filter(Q(user__display_name__contains=q))
