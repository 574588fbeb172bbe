"""Fixtures for the workflow tests: a published item per process, an accepted application,
three co-departments for 并联审批 with an approver each, and a recorder for do_decide."""

from __future__ import annotations

import pytest
from django.utils import timezone

from zhengtong.core.org.models import Department
from zhengtong.services.applications.models import Application, Status
from zhengtong.services.catalog.models import ItemVersion, ServiceItem, VersionStatus
from zhengtong.services.workflow.models import ProcessConfig
from zhengtong.testing import personas as P

CO_DEPARTMENTS = [("SF-ZJ", "市住房和城乡建设局", "住建"), ("SF-ZRZY", "市自然资源局", "自然资源"),
                  ("SF-YJ", "市应急管理局（消防）", "消防")]


@pytest.fixture
def co_depts(city):
    return {short: Department.objects.create(code=code, name=name, short_name=short, region=city.city)
            for code, name, short in CO_DEPARTMENTS}


@pytest.fixture
def co_approvers(co_depts):
    return {short: P.staff(f"approver.{dept.code.lower()}", f"{short}审批员", dept, roles=["approver"])
            for short, dept in co_depts.items()}


@pytest.fixture
def parallel_config(co_depts):
    branches = [{"department_code": "SF-ZJ", "label": "住建部门审查", "limit_days": 5, "role": "approver"},
                {"department_code": "SF-ZRZY", "label": "自然资源部门审查", "limit_days": 3, "role": "approver"},
                {"department_code": "SF-YJ", "label": "消防审查", "limit_days": 7, "role": "approver"}]
    return ProcessConfig.objects.create(process_key="parallel", branches=branches)


def make_item(city, code: str, process_key: str) -> ItemVersion:
    item = ServiceItem.objects.create(code=code, department=city.dept("market"), region=city.city)
    version = ItemVersion.objects.create(
        item=item, version=1, status=VersionStatus.PUBLISHED, name=f"测试事项 {code}", kind="licensing",
        legal_basis="《测试法》第一条", conditions="无", process_description="受理—审查—决定",
        statutory_days=20, promised_days=10, place="政务服务中心", consultation="12345", complaint="12345",
        process_key=process_key, published_at=timezone.now())
    item.current = version
    item.save(update_fields=["current"])
    return version


_seq = iter(range(1, 10_000))


def make_application(city, applicant, version: ItemVersion, status: str = Status.ACCEPTED) -> Application:
    return Application.objects.create(
        number=f"361200-TEST-{next(_seq):05d}", item_version=version, department=city.dept("market"),
        applicant=applicant, applicant_name="李娟", applicant_id_number="11010519491231002X",
        contact_mobile="13800000001", status=status, form_data={"shop_name": "味道小馆"},
        submitted_at=timezone.now(), accepted_at=timezone.now() if status == Status.ACCEPTED else None)


@pytest.fixture
def app_factory(city, applicant):
    def build(process_key: str = "simple", status: str = Status.ACCEPTED, code: str | None = None) -> Application:
        version = make_item(city, code or f"TEST-{process_key}-{next(_seq)}", process_key)
        return make_application(city, applicant, version, status)

    return build


@pytest.fixture
def decisions(monkeypatch):
    """Record do_decide calls instead of running the applications app's decision."""
    from zhengtong.services.applications import actions as application_actions

    calls: list[dict] = []

    def fake(application, *, granted: bool, reason: str, actor):
        calls.append({"application": application, "granted": granted, "reason": reason, "actor": actor})
        return application

    monkeypatch.setattr(application_actions, "do_decide", fake)
    return calls


@pytest.fixture
def sysadmin2(city):
    """A second system administrator: approves what the first one uploads."""
    return P.staff("sys.admin2", "系统管理员二", city.dept("bigdata"), roles=["sysadmin"])
