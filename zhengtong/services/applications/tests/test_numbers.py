from __future__ import annotations

from datetime import date

import pytest
from stdnum.iso7064 import mod_11_2

from zhengtong.services.applications.numbers import (
    InvalidNumber,
    format_number,
    next_number,
    parse_number,
)


def test_number_has_region_date_sequence_and_check_char():
    number = format_number("361200", date(2026, 5, 4), 17)
    assert number[:20] == "36120020260504000017"
    assert len(number) == 21 and mod_11_2.is_valid(number)
    assert parse_number(number.lower()) == number


def test_township_codes_are_cut_to_six_digits():
    assert format_number("361221100", date(2026, 5, 4), 1).startswith("361221")


@pytest.mark.django_db
def test_daily_sequence_increments_per_region_and_day():
    day = date(2026, 5, 4)
    first, second = next_number("361200", day), next_number("361200", day)
    other = next_number("361221", day)
    assert first[14:20] == "000001" and second[14:20] == "000002" and other[14:20] == "000001"
    assert next_number("361200", date(2026, 5, 5))[14:20] == "000001"


@pytest.mark.parametrize("text, message", [
    ("12345", "办件编号应为 21 位"),
    ("36120020260504000017A", "办件编号格式不正确"),
    ("361200202613040000171", "办件编号中的日期无效"),
])
def test_it_refuses_malformed_numbers(text, message):
    with pytest.raises(InvalidNumber, match=message):
        parse_number(text)


def test_it_refuses_a_forged_check_character():
    good = format_number("361200", date(2026, 5, 4), 17)
    forged = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(InvalidNumber, match="校验位错误"):
        parse_number(forged)
    typo = good[:15] + str((int(good[15]) + 1) % 10) + good[16:]
    with pytest.raises(InvalidNumber):
        parse_number(typo)


def test_forged_number_is_404_without_a_lookup(client, applicant, django_assert_max_num_queries):
    client.force_login(applicant)
    good = format_number("361200", date(2026, 5, 4), 17)
    forged = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = client.get(f"/apply/case/{forged}/")
    assert response.status_code == 404
    assert "校验位错误" in response.content.decode()
    api = client.get(f"/api/v1/applications/cases/{forged}")
    assert api.status_code == 404 and "校验位错误" in api.json()["message"]


def test_a_persons_name_is_masked_in_lists_but_an_enterprises_is_not():
    from zhengtong.services.applications.models import Application

    person = Application(applicant_name="王小明", applicant_id_number="11010519491231002X")
    company = Application(applicant_name="示范市味道餐饮有限公司", applicant_id_number="91361200MA35WD0076")
    assert person.masked_applicant_name == "王**" and person.masked_id_number == "110105********002X"
    assert company.masked_applicant_name == "示范市味道餐饮有限公司"
