from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from zhengtong.core.accounts.models import User
from zhengtong.core.accounts.passwords import StrongPasswordValidator


def _codes(password: str, user: User | None = None) -> set[str]:
    try:
        StrongPasswordValidator().validate(password, user)
    except ValidationError as exc:
        return {e.code for e in exc.error_list}
    return set()


def test_a_ten_character_password_of_three_classes_passes():
    assert _codes("Abcdefgh12") == set()


def test_it_refuses_fewer_than_ten_characters():
    assert "password_too_short" in _codes("Abcdefg12")


def test_it_refuses_only_two_character_classes():
    assert _codes("abcdefgh1234") == {"password_too_simple"}


def test_it_refuses_a_password_containing_the_username_in_any_case():
    assert "password_contains_username" in _codes("X-CLERK.ZHANG-1", User(username="clerk.zhang"))


def test_it_refuses_a_password_containing_the_mobile():
    assert "password_contains_username" in _codes("Ab-13812345678", User(username="u1", mobile="13812345678"))


@pytest.mark.django_db
def test_the_configured_validators_explain_in_chinese():
    with pytest.raises(ValidationError) as info:
        validate_password("short", User(username="someone"))
    assert any("密码至少需要 10 个字符" in m for m in info.value.messages)
