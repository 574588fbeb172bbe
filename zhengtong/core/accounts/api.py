"""Accounts API, mounted at /api/v1/accounts/: registration (no auth) and the caller's masked profile."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status

from zhengtong.core.accounts import actions
from zhengtong.core.accounts.models import User
from zhengtong.core.accounts.queries import masked_profile
from zhengtong.core.api.errors import ErrorOut
from zhengtong.core.identifiers import IdentifierError, mask_id_number

router = Router(tags=["accounts"])


class CitizenIn(Schema):
    # Missing fields arrive as "" and are refused by the action with a Chinese message (400),
    # rather than by schema validation (422, English).
    name: str = ""
    id_number: str = ""
    mobile: str = ""
    password: str = ""
    email: str = ""


class EnterpriseIn(Schema):
    name: str = ""
    uscc: str = ""
    legal_rep_name: str = ""
    legal_rep_id_number: str = ""
    mobile: str = ""
    password: str = ""
    email: str = ""
    address: str = ""


class RegisteredOut(Schema):
    kind: str
    display_name: str
    login: str  # what to log in with, masked for citizens


class ProfileOut(Schema):
    kind: str
    kind_label: str
    display_name: str
    mobile: str
    email: str
    id_number: str | None = None
    birth_date: str | None = None
    gender: str | None = None
    verified: bool | None = None
    uscc: str | None = None
    name: str | None = None
    legal_rep_name: str | None = None
    legal_rep_id_number: str | None = None
    address: str | None = None


def _error(status: int, code: str, message: str) -> Status[dict[str, str]]:
    return Status(status, {"code": code, "message": message})


def _register(action: Callable[..., User], data: dict[str, Any]) -> Status[dict[str, str]]:
    try:
        user = action(**data)
    except actions.DuplicateRegistration as exc:
        return _error(409, "duplicate", str(exc))
    except actions.WeakPassword as exc:
        return _error(400, "weak_password", "；".join(exc.messages))
    except IdentifierError as exc:
        return _error(400, "invalid_identifier", str(exc))
    except ValidationError as exc:
        return _error(400, "invalid", "；".join(exc.messages))
    login = mask_id_number(user.username) if user.kind == "citizen" else user.username
    return Status(201, {"kind": user.kind, "display_name": user.display_name, "login": login})


@router.post("/register/citizen", auth=None, response={201: RegisteredOut, 400: ErrorOut, 409: ErrorOut},
             summary="自然人注册")
def register_citizen(request: HttpRequest, payload: CitizenIn) -> Status[dict[str, str]]:
    return _register(actions.check_register_citizen, payload.dict())


@router.post("/register/enterprise", auth=None, response={201: RegisteredOut, 400: ErrorOut, 409: ErrorOut},
             summary="法人注册")
def register_enterprise(request: HttpRequest, payload: EnterpriseIn) -> Status[dict[str, str]]:
    return _register(actions.check_register_enterprise, payload.dict())


@router.get("/me", response=ProfileOut, summary="我的账户（脱敏）")
def me(request: HttpRequest) -> dict[str, Any]:
    return masked_profile(request.user)
