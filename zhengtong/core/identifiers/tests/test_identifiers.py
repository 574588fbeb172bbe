from __future__ import annotations

from datetime import date

import pytest
from django import forms

from zhengtong.core.identifiers import (
    IdentifierError,
    mask_id_number,
    mask_mobile,
    normalize_division_code,
    normalize_id_number,
    normalize_mobile,
    normalize_uscc,
    person_facts,
    uscc_division,
)
from zhengtong.core.identifiers.fields import IdNumberFormField, UsccFormField


def test_it_accepts_the_standard_example_id_number_and_derives_birth_and_gender():
    facts = person_facts("11010519491231002x")
    assert facts.birth_date == date(1949, 12, 31)
    assert facts.gender == "F"  # sequence 002 is even
    assert "北京" in facts.birth_place


@pytest.mark.parametrize(("number", "reason"), [
    ("11010519491231002", "18 位"),
    ("110105194912310021", "校验码"),
    ("11010519491331002X", None),  # month 13
    ("1101051949123100AX", "格式"),
    ("361221199001010013", "地址码"),  # a division code python-stdnum does not know
])
def test_it_rejects_bad_id_numbers_with_a_chinese_reason(number, reason):
    with pytest.raises(IdentifierError) as excinfo:
        normalize_id_number(number)
    if reason:
        assert reason in str(excinfo.value)


def test_it_validates_credit_codes_and_reads_the_division():
    assert normalize_uscc("91110000600037341l") == "91110000600037341L"
    assert uscc_division("91110000600037341L") == "110000"
    with pytest.raises(IdentifierError, match="校验码"):
        normalize_uscc("91110000600037341M")
    with pytest.raises(IdentifierError, match="I、O、Z、S、V"):
        normalize_uscc("9111000060003734IL")


def test_masking_hides_the_middle():
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_mobile("13812345678") == "138****5678"


def test_mobile_and_division_codes():
    assert normalize_mobile("+86 138-1234-5678") == "13812345678"
    with pytest.raises(IdentifierError):
        normalize_mobile("12812345678")
    assert normalize_division_code("361221100") == "361221100"
    with pytest.raises(IdentifierError):
        normalize_division_code("36122")


def test_form_fields_report_chinese_errors():
    class F(forms.Form):
        id_number = IdNumberFormField()
        uscc = UsccFormField()

    form = F({"id_number": "110105194912310021", "uscc": "91110000600037341L"})
    assert not form.is_valid()
    assert "校验码" in form.errors["id_number"][0]
    assert form.cleaned_data["uscc"] == "91110000600037341L"
