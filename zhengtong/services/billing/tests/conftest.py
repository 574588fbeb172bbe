"""Catalog items with and without fees, and cases built straight in the database (the
applications app's own actions are tested there; here we need cases in given states)."""

from __future__ import annotations

import itertools

import pytest

from zhengtong.services.applications.models import Application, BundleApplication, Status
from zhengtong.services.catalog.models import Bundle, ItemVersion, ServiceItem

_seq = itertools.count(1)

FORM_SCHEMA = {
    "type": "object",
    "properties": {
        "shop_name": {"type": "string", "title": "店铺名称"},
        "address": {"type": "string", "title": "经营场所"},
        "manager_id": {"type": "string", "title": "负责人身份证"},
        "scope": {"type": "array", "title": "经营项目", "items": {"type": "string"}},
        "photo": {"type": "string", "format": "data-url", "title": "照片"},
    },
}


def make_item(department, name: str, fees: list[dict], *, kind: str = "licensing") -> ItemVersion:
    n = next(_seq)
    item = ServiceItem.objects.create(code=f"TEST-{n:04d}", department=department, region=department.region)
    version = ItemVersion.objects.create(
        item=item, version=1, status="published", name=name, kind=kind, legal_basis="《行政许可法》",
        conditions="依法申请", process_description="受理、审查、决定", statutory_days=20, promised_days=10,
        place="市民中心", consultation="12345", complaint="12345", fees=fees, form_schema=FORM_SCHEMA)
    item.current = version
    item.save(update_fields=["current"])
    return version


def make_case(version: ItemVersion, applicant, *, status: str = Status.ACCEPTED, bundle=None,
              delivery: str = "download", form_data: dict | None = None) -> Application:
    n = next(_seq)
    return Application.objects.create(
        number=f"3612002026{n:08d}", item_version=version, department=version.item.department,
        applicant=applicant, applicant_name=applicant.display_name or "申请人", bundle_application=bundle,
        applicant_id_number="11010519491231002X", contact_mobile="13800000001", status=status,
        refusal_reason="材料不全" if status == Status.REFUSED else "",
        decision_reason="不符合条件" if status == Status.DENIED else "",
        delivery=delivery, delivery_address="示范市东湖路 1 号" if delivery == "post" else "",
        form_data=form_data if form_data is not None else {
            "shop_name": "味道小馆", "address": "示范市中山路 8 号", "manager_id": "11010519491231002X",
            "scope": ["热食类", "冷食类"], "photo": "data:image/png;base64,AAAA"})


@pytest.fixture
def paid_item(city):
    return make_item(city.dept("market"), "食品经营许可", [
        {"name": "证书工本费", "amount": "10.00", "basis": "发改价格〔2015〕1号"},
        {"name": "现场核查费", "amount": "25.50", "basis": "示价费〔2020〕3号"}])


@pytest.fixture
def free_item(city):
    return make_item(city.dept("market"), "个体工商户登记", [])


@pytest.fixture
def case(paid_item, applicant):
    return make_case(paid_item, applicant)


@pytest.fixture
def bundle_case(city, applicant):
    items = [make_item(city.dept("market"), "营业执照", []),
             make_item(city.dept("market"), "食品经营许可证", [{"name": "工本费", "amount": "10", "basis": "b"}]),
             make_item(city.dept("approval"), "户外招牌设置许可", [{"name": "审查费", "amount": "30.00", "basis": "c"},
                                                             {"name": "免收", "amount": "0", "basis": ""}])]
    bundle = Bundle.objects.create(code="open-restaurant", name="开办餐饮店", lead_department=city.dept("approval"),
                                   promised_days=15, published=True)
    bundle.items.set([v.item for v in items])
    bundle_app = BundleApplication.objects.create(number="3612002026B0000001", bundle=bundle, applicant=applicant,
                                                  status=Status.ACCEPTED)
    for version in items:
        make_case(version, applicant, bundle=bundle_app)
    return bundle_app
