from __future__ import annotations

from decimal import Decimal

import pytest

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.notify.models import Message
from zhengtong.services.applications.models import Status
from zhengtong.services.billing.actions import BillingError, cancel_bill, issue_bill
from zhengtong.services.billing.models import Bill, BillLine, BillStatus
from zhengtong.services.billing.tests.conftest import make_case, make_item


def test_it_issues_one_bill_with_a_line_per_fee(case, clerk, applicant):
    bill = issue_bill(case, actor=clerk)
    assert bill is not None and bill.application == case and bill.bundle_application is None
    assert bill.total == Decimal("35.50") and bill.status == BillStatus.UNPAID and bill.payer == applicant
    assert bill.number.startswith("JF") and len(bill.number) == 16
    assert [(ln.fee_name, ln.amount) for ln in bill.lines.all()] == [
        ("证书工本费", Decimal("10.00")), ("现场核查费", Decimal("25.50"))]
    assert bill.lines.first().item_name == "食品经营许可" and "发改价格" in bill.lines.first().basis
    entry = AuditEntry.objects.get(action="billing.bill.issue")
    assert entry.actor_id == clerk.pk and entry.after["total"] == "35.50"
    assert {m.channel for m in Message.objects.filter(recipient=applicant)} == {"inbox", "sms", "email"}


def test_issuing_twice_returns_the_same_bill(case, clerk):
    first = issue_bill(case, actor=clerk)
    second = issue_bill(case, actor=clerk)
    assert first.pk == second.pk and Bill.objects.count() == 1
    assert AuditEntry.objects.filter(action="billing.bill.issue").count() == 1


def test_a_free_case_gets_no_bill(free_item, applicant, clerk):
    case = make_case(free_item, applicant)
    assert issue_bill(case, actor=clerk) is None
    assert not Bill.objects.exists() and not AuditEntry.objects.filter(action="billing.bill.issue").exists()


def test_zero_fees_are_free(city, applicant, clerk):
    version = make_item(city.dept("market"), "免费事项", [{"name": "工本费", "amount": "0.00", "basis": "免收"}])
    assert issue_bill(make_case(version, applicant), actor=clerk) is None


def test_a_bundle_gets_one_bill_summing_all_items(bundle_case, clerk, city):
    bill = issue_bill(bundle_case, actor=clerk)
    assert bill.bundle_application == bundle_case and bill.application is None
    assert bill.total == Decimal("40.00") and bill.department == city.dept("approval")
    assert sorted(ln.item_name for ln in bill.lines.all()) == ["户外招牌设置许可", "食品经营许可证"]


def test_a_case_of_a_bundle_is_billed_on_its_bundle(bundle_case, clerk):
    bill = issue_bill(bundle_case, actor=clerk)
    child = bundle_case.applications.first()
    assert issue_bill(child, actor=clerk).pk == bill.pk
    assert Bill.objects.count() == 1


@pytest.mark.parametrize("status", [Status.DRAFT, Status.WITHDRAWN, Status.REFUSED])
def test_it_refuses_to_bill_a_case_in_a_wrong_state(paid_item, applicant, clerk, status):
    case = make_case(paid_item, applicant, status=status)
    with pytest.raises(BillingError, match="不能开具收费单"):
        issue_bill(case, actor=clerk)
    assert not Bill.objects.exists()


def test_a_malformed_fee_amount_is_refused_with_nothing_written(city, applicant, clerk):
    version = make_item(city.dept("market"), "坏数据事项", [{"name": "工本费", "amount": "十元", "basis": ""}])
    with pytest.raises(BillingError, match="收费标准金额不正确"):
        issue_bill(make_case(version, applicant), actor=clerk)
    assert not Bill.objects.exists() and not BillLine.objects.exists()


def test_cancelling_voids_the_unpaid_bill_and_allows_a_new_one(case, clerk):
    bill = issue_bill(case, actor=clerk)
    assert cancel_bill(case, actor=clerk, reason="申请人撤回").status == BillStatus.CANCELLED
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.CANCELLED
    assert AuditEntry.objects.filter(action="billing.bill.cancel").count() == 1
    assert cancel_bill(case, actor=clerk, reason="again") is None
    assert issue_bill(case, actor=clerk).pk != bill.pk


def test_the_database_holds_exactly_one_target(case, bundle_case, applicant, city):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Bill.objects.create(number="X1", application=case, bundle_application=bundle_case, payer=applicant,
                            payer_name="x", department=city.dept("market"), total=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Bill.objects.create(number="X2", payer=applicant, payer_name="x", department=city.dept("market"), total=1)
