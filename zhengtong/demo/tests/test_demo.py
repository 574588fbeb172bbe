from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengtong.core.accounts.backends import AccountBackend
from zhengtong.core.accounts.models import CitizenProfile, EnterpriseProfile, User, UserKind
from zhengtong.core.audit.log import record, verify_chain
from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.identifiers import (
    normalize_id_number,
    normalize_mobile,
    normalize_uscc,
    person_facts,
)
from zhengtong.core.org.models import Department, Region
from zhengtong.core.permissions.models import Grant
from zhengtong.demo import describe_accounts, people, specs
from zhengtong.demo.loader import REGIONS_CSV, DemoRefused, load_demo, wipe_demo

SMALL = 0.05  # 10 citizens, 2–3 enterprises; the organisation and staff are always complete


def snapshot() -> dict[str, list[str]]:
    return {
        "users": list(User.objects.order_by("username").values_list("username", flat=True)),
        "ids": list(CitizenProfile.objects.order_by("id_number").values_list("id_number", flat=True)),
        "uscc": list(EnterpriseProfile.objects.order_by("uscc").values_list("uscc", flat=True)),
        "names": list(User.objects.order_by("username").values_list("display_name", flat=True)),
        "keys": list(TOTPDevice.objects.order_by("user__username").values_list("key", flat=True)),
    }


@pytest.mark.django_db
def test_two_loads_yield_identical_people():
    load_demo(scale=SMALL)
    first = snapshot()
    wipe_demo()
    assert not User.objects.exists() and not Region.objects.exists()
    load_demo(scale=SMALL)
    assert snapshot() == first


@pytest.mark.django_db
def test_the_full_city_is_complete_and_every_identifier_validates():
    summary = load_demo()
    assert summary.seconds < 30
    assert Region.objects.current().count() == 15  # province, city, 3 counties, 10 townships
    assert Region.objects.filter(level="township").current().count() == 10
    assert 25 <= Department.objects.filter(parent=None).count() <= 35
    assert Department.objects.exclude(parent=None).count() >= 8
    # ~60: every department that implements items has an approver and a head (decision tasks)
    assert 55 <= User.objects.filter(kind=UserKind.STAFF).count() <= 70
    assert CitizenProfile.objects.count() == specs.CITIZENS
    assert EnterpriseProfile.objects.count() == specs.ENTERPRISES
    citizens = {p.id_number: p for p in CitizenProfile.objects.select_related("user")}
    for number, profile in citizens.items():
        facts = person_facts(normalize_id_number(number))
        assert (facts.birth_date, facts.gender) == (profile.birth_date, profile.gender)
        assert profile.user.username == number and normalize_mobile(profile.user.mobile)
    mobiles = [p.user.mobile for p in citizens.values()]
    assert len(set(mobiles)) == len(mobiles)
    for enterprise in EnterpriseProfile.objects.select_related("user"):
        assert normalize_uscc(enterprise.uscc) == enterprise.user.username
        assert enterprise.uscc.startswith(("91361200", "91361202", "91361221", "91361281"))
        assert citizens[enterprise.legal_rep_id_number].user.display_name == enterprise.legal_rep_name
    assert verify_chain().ok
    assert AuditEntry.objects.filter(action="demo.loaded").count() == 1


@pytest.mark.django_db
def test_each_admin_role_has_one_holder_who_holds_nothing_else():
    load_demo(scale=SMALL)
    for code in ("sysadmin", "secadmin", "auditadmin"):
        holders = Grant.objects.active().filter(role__code=code).values_list("user__username", flat=True)
        assert list(holders) == [code]
        assert Grant.objects.active().filter(user__username=code).count() == 1
    for username in ("clerk", "approver", "head", "supervisor"):
        assert not Grant.objects.active().filter(user__username=username, role__admin_group__gt="").exists()
    assert Grant.objects.get(user__username="supervisor").scope == "city"
    assert TOTPDevice.objects.filter(confirmed=True).count() == User.objects.filter(kind=UserKind.STAFF).count()


@pytest.mark.django_db
def test_demo_accounts_log_in_with_the_demo_password():
    load_demo(scale=SMALL)
    authenticate = AccountBackend().authenticate
    citizen = people.well_known_citizen()
    assert authenticate(None, username="13800138000", password=specs.DEMO_PASSWORD).username == citizen.id_number
    company = people.companies(1, [citizen])[0]
    assert authenticate(None, username=company.uscc, password=specs.DEMO_PASSWORD).kind == UserKind.ENTERPRISE
    assert authenticate(None, username="clerk", password=specs.DEMO_PASSWORD).kind == UserKind.STAFF
    assert authenticate(None, username="clerk", password="wrong-Passw0rd") is None


@pytest.mark.django_db
def test_if_empty_loads_once_and_then_does_nothing():
    out = StringIO()
    call_command("demo", "--if-empty", "--scale", str(SMALL), stdout=out)
    assert "Shifan@2026" in out.getvalue()
    before, entries = snapshot(), AuditEntry.objects.count()
    out = StringIO()
    call_command("demo", "--if-empty", "--scale", str(SMALL), stdout=out)
    assert "跳过" in out.getvalue()
    assert snapshot() == before and AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_reset_clears_the_audit_log_and_keeps_it_append_only():
    load_demo(scale=SMALL)
    record("test.extra", after={"x": 1})
    call_command("demo", "--reset", "--scale", str(SMALL), stdout=StringIO())
    assert not AuditEntry.objects.filter(action="test.extra").exists()
    assert AuditEntry.objects.order_by("seq").first().seq == 1
    assert verify_chain().ok
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()


@pytest.mark.django_db
@pytest.mark.parametrize("flags", [[], ["--reset"]])
def test_reset_is_refused_in_production(flags):
    load_demo(scale=SMALL)
    before = snapshot()
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="生产模式"):
        call_command("demo", *flags, stdout=StringIO())
    with override_settings(PRODUCTION=True), pytest.raises(DemoRefused):
        wipe_demo()
    assert snapshot() == before


@pytest.mark.django_db
def test_loading_over_existing_data_is_refused():
    load_demo(scale=SMALL)
    with pytest.raises(DemoRefused):
        load_demo(scale=SMALL)


@pytest.mark.django_db
def test_import_regions_reports_a_bad_row_by_line_and_writes_nothing(tmp_path: Path):
    csv = tmp_path / "regions.csv"
    csv.write_text("code,name,valid_from,valid_to\n360000,江西省,,\n36120,示范市,,\n361202,示范区,2000-13-01,\n",
                   encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="2 行有错误"):
        call_command("import_regions", str(csv), stdout=StringIO(), stderr=err)
    assert "第 3 行" in err.getvalue() and "第 4 行" in err.getvalue()
    assert not Region.objects.exists()


@pytest.mark.django_db
def test_import_regions_loads_the_demo_file():
    out = StringIO()
    call_command("import_regions", str(REGIONS_CSV), stdout=out)
    assert "新增 16" in out.getvalue()
    assert Region.objects.get(code="361221100").path == "/360000/361200/361221/361221100/"
    assert Region.objects.get(code="361222").valid_to is not None  # 西山县, retired for 西山市


def test_import_regions_refuses_a_missing_file():
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_regions", "/nonexistent/regions.csv")


@pytest.mark.django_db
def test_totp_prints_a_code_django_otp_accepts():
    load_demo(scale=SMALL)
    out = StringIO()
    call_command("totp", "clerk", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    assert TOTPDevice.objects.get(user__username="clerk").verify_token(code)
    assert people.totp_secret("clerk") in describe_accounts()


@pytest.mark.django_db
def test_totp_is_refused_in_production_and_for_unknown_users():
    load_demo(scale=SMALL)
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="生产模式"):
        call_command("totp", "clerk", stdout=StringIO())
    with pytest.raises(CommandError, match="nobody"):
        call_command("totp", "nobody", stdout=StringIO())


@pytest.mark.django_db
def test_describe_accounts_without_data_says_how_to_load():
    assert "zhengtong demo" in describe_accounts()


def test_generated_identities_validate_at_every_scale():
    persons = people.citizens(300)
    assert persons[0].mobile == "13800138000"
    assert all(normalize_id_number(p.id_number) == p.id_number for p in persons)
    assert all((int(p.id_number[16]) % 2 == 1) == (p.gender == "M") for p in persons)
    assert people.citizens(20) == persons[:20]  # a smaller city is a prefix of the larger one
    companies = people.companies(80, persons)
    assert all(normalize_uscc(c.uscc) == c.uscc for c in companies)


def test_org_code_check_character_matches_a_real_credit_code():
    assert people.org_code("60003734") == "600037341"  # from 91110000600037341L
    assert people.credit_code("91110000", "60003734") == "91110000600037341L"


@pytest.mark.django_db
def test_describe_accounts_stays_silent_in_production():
    load_demo(scale=SMALL)
    with override_settings(PRODUCTION=True):
        assert describe_accounts() == ""
    with override_settings(PRODUCTION=True):
        out = StringIO()
        call_command("demo", "--if-empty", stdout=out)
        assert "生产模式" in out.getvalue()


@pytest.mark.django_db
def test_if_empty_leaves_a_database_with_users_alone():
    User.objects.create(username="someone", kind=UserKind.STAFF)
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "跳过" in out.getvalue() and not Region.objects.exists()
