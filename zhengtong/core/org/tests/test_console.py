"""The org console: trees, a new department, the regions CSV import (all or nothing)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.org.models import Department, Region
from zhengtong.testing.personas import login_staff

ORG = "/console/org/"


def _csv(text: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("regions.csv", text.encode(encoding), content_type="text/csv")


def test_the_trees_show_regions_and_departments(client, sysadmin, city):
    login_staff(client, sysadmin)
    html = client.get(ORG).content.decode()
    for name in ("江西省", "示范市", "东湖县", "市市场监督管理局登记注册科", "东湖县行政审批局"):
        assert name in html
    assert "东湖镇" not in html  # townships are counted, not listed


def test_sysadmin_creates_a_department(client, sysadmin, city):
    login_staff(client, sysadmin)
    response = client.post(f"{ORG}departments/new/", {
        "region": city.county.pk, "parent": city.dept("county_approval").pk, "code": "DH-XZSP-1",
        "name": "东湖县行政审批局综合科", "sort_order": 10})
    assert response.status_code == 302
    dept = Department.objects.get(code="DH-XZSP-1")
    assert dept.path == "/DH-XZSP/DH-XZSP-1/"
    assert AuditEntry.objects.filter(action="org.department.created", object_id=str(dept.pk),
                                     actor=sysadmin).exists()


def test_a_duplicate_department_is_refused_in_chinese(client, sysadmin, city):
    login_staff(client, sysadmin)
    response = client.post(f"{ORG}departments/new/", {"region": city.city.pk, "code": "SF-NEW",
                                                      "name": "市行政审批局", "sort_order": 1})
    assert response.status_code == 200 and "已有名为" in response.content.decode()
    assert not Department.objects.filter(code="SF-NEW").exists()


def test_the_import_loads_regions(client, sysadmin, city):
    login_staff(client, sysadmin)
    data = "\ufeffcode,name,valid_from\n361202,月湖区,2020-01-01\n361202001,月湖街道,\n"
    response = client.post(f"{ORG}regions/import/", {"file": _csv(data)})
    assert response.status_code == 302
    county = Region.objects.get(code="361202")
    assert county.parent == city.city and county.level == "county"
    assert Region.objects.get(code="361202001").parent == county
    assert AuditEntry.objects.filter(action="org.regions.imported", actor=sysadmin).exists()


def test_the_import_reads_gb18030(client, sysadmin, city):
    login_staff(client, sysadmin)
    response = client.post(f"{ORG}regions/import/", {"file": _csv("code,name\n361203,星湖区\n", "gb18030")})
    assert response.status_code == 302
    assert Region.objects.get(code="361203").name == "星湖区"


def test_row_errors_are_shown_with_line_numbers_and_nothing_is_written(client, sysadmin, city):
    login_staff(client, sysadmin)
    count, entries = Region.objects.count(), AuditEntry.objects.count()
    data = "code,name,valid_from\n361202,月湖区,\n12AB,坏代码,\n361204,,\n361205,好区,2020-13-01\n"
    response = client.post(f"{ORG}regions/import/", {"file": _csv(data)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "第 3 行" in html and "第 4 行" in html and "第 5 行" in html and "第 2 行" not in html
    assert "未写入任何数据" in html
    assert Region.objects.count() == count and not Region.objects.filter(code="361202").exists()
    assert AuditEntry.objects.count() == entries


def test_a_file_without_the_columns_is_refused(client, sysadmin, city):
    login_staff(client, sysadmin)
    response = client.post(f"{ORG}regions/import/", {"file": _csv("编码,名称\n361202,月湖区\n")})
    assert "缺少列" in response.content.decode()
    assert not Region.objects.filter(code="361202").exists()


def test_only_org_managers_reach_the_org_console(client, secadmin, city):
    login_staff(client, secadmin)
    assert client.get(ORG).status_code == 403
    assert client.post(f"{ORG}regions/import/", {"file": _csv("code,name\n361202,月湖区\n")}).status_code == 403
    assert client.post(f"{ORG}departments/new/", {"region": city.city.pk, "code": "X", "name": "X"}).status_code == 403
    assert not Region.objects.filter(code="361202").exists()
