"""Fixtures for the applications tests: a published item in the clerk's department, files."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhengtong.services.catalog.models import (
    Bundle,
    ItemVersion,
    Material,
    ServiceItem,
    VersionStatus,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64

SCHEMA = {
    "type": "object",
    "required": ["name", "id_number", "mobile", "shop_name"],
    "properties": {
        "name": {"type": "string", "title": "姓名"},
        "id_number": {"type": "string", "title": "身份证号", "format": "id_number"},
        "mobile": {"type": "string", "title": "手机号", "format": "mobile"},
        "shop_name": {"type": "string", "title": "店名", "maxLength": 20},
        "area": {"type": "number", "title": "面积", "minimum": 1},
    },
}


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


STEPS = [{"name": "现场核查", "max_days": 5, "basis": "《食品经营许可和备案管理办法》第二十二条"},
         {"name": "专家评审", "max_days": 10, "basis": ""}]


def make_item(code: str, department, *, name: str = "食品经营许可", schema: dict | None = None,
              materials: tuple = (("身份证明", True, ""), ("场所证明", True, ""), ("营业执照", True, "市场主体登记库"),
                                  ("其他材料", False, "")), special_steps: list | None = None) -> ServiceItem:
    item = ServiceItem.objects.create(code=code, department=department, region=department.region)
    version = ItemVersion.objects.create(
        item=item, version=1, status=VersionStatus.PUBLISHED, name=name, kind="licensing", legal_basis="《条例》",
        conditions="无", process_description="受理、审查、决定", statutory_days=20, promised_days=10,
        acceptance_days=2, place="政务服务中心", consultation="12345", complaint="12345",
        form_schema=SCHEMA if schema is None else schema, published_at=timezone.now(),
        special_steps=STEPS if special_steps is None else special_steps)
    for i, (mname, required, shared) in enumerate(materials):
        Material.objects.create(version=version, name=mname, required=required, shared_source=shared, sort_order=i)
    item.current = version
    item.save(update_fields=["current"])
    return item


@pytest.fixture(autouse=True)
def hooks():
    """The sibling apps' hooks (workflow engine, billing) as mocks: these tests are about ours."""
    from zhengtong.services.applications import timeline

    with mock.patch.object(timeline, "start_process") as start, \
            mock.patch.object(timeline, "cancel_process") as cancel, \
            mock.patch.object(timeline, "issue_bill", return_value=None) as bill, \
            mock.patch.object(timeline, "issue_licence", return_value=None) as licence:
        yield mock.Mock(start=start, cancel=cancel, bill=bill, licence=licence)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def item(city):
    return make_item("SF-XZSP-0001", city.dept("approval"))


@pytest.fixture
def form_data():
    return {"name": "李娟", "id_number": "11010519491231002X", "mobile": "13800000001", "shop_name": "李记小吃"}


@pytest.fixture
def bundle(city):
    a = make_item("SF-XZSP-0101", city.dept("approval"), name="营业执照",
                  schema={"type": "object", "required": ["shop_name"],
                          "properties": {"shop_name": {"type": "string", "title": "店名"}}},
                  materials=(("身份证明", True, ""), ("章程", True, "")))
    b = make_item("SF-SCJG-0102", city.dept("market"), name="食品经营许可",
                  schema={"type": "object", "required": ["shop_name", "area"],
                          "properties": {"shop_name": {"type": "string", "title": "店名"},
                                         "area": {"type": "number", "title": "面积"}}},
                  materials=(("身份证明", True, ""), ("场所证明", True, "")))
    found = Bundle.objects.create(code="restaurant", name="开办餐饮店", lead_department=city.dept("approval"),
                                  promised_days=10, published=True)
    found.items.set([a, b])
    return found
