from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook

from zhengtong.core.audit.models import AuditEntry
from zhengtong.services.catalog import excel
from zhengtong.services.catalog.models import ServiceItem
from zhengtong.testing.personas import login_staff


def _workbook(published) -> bytes:
    return excel.export_workbook(ServiceItem.objects.filter(pk=published.pk))


def _edit(data: bytes, sheet: str, cells: dict[str, object]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    for ref, value in cells.items():
        wb[sheet][ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_export_round_trip_creates_and_versions(published, dept_head, city):
    data = _workbook(published)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["事项", "材料"]
    assert wb["事项"]["C2"].value == "行政许可" and wb["材料"].max_row == 3
    assert wb["事项"]["T2"].value == "现场核查:10:食品经营许可管理办法"
    assert wb["事项"]["W2"].value == "需要到现场吗？|全程网办，无需到现场。" and wb["事项"]["X2"].value == "kbqy"
    # new item SCJG-NEW (copy of row 2) + new version of SCJG-001
    ws = wb["事项"]
    ws.append([c.value for c in ws[2]])
    ws["A3"] = "SCJG-NEW"
    ws["S3"] = "工本费:10:价格文件"
    ws["B2"] = "食品经营许可（修订）"
    wb["材料"].append(["SCJG-NEW", "申请书", "电子材料", 1, "是", "D", "", "", ""])
    out = io.BytesIO()
    wb.save(out)
    result = excel.import_workbook(out.getvalue(), actor=dept_head)
    assert (result.created, result.versioned) == (1, 1)
    published.refresh_from_db()
    assert published.current.version == 2 and published.current.materials.count() == 2
    new = ServiceItem.objects.get(code="SCJG-NEW")
    assert new.current.fees == [{"name": "工本费", "amount": "10.00", "basis": "价格文件"}]
    assert new.current.form_schema == published.current.form_schema
    assert AuditEntry.objects.filter(action="catalog.import").count() == 1


def test_an_export_is_labelled_in_the_readers_language_and_imports_in_either(published, dept_head, city):
    with translation.override("en"):
        data = _workbook(published)
    wb = load_workbook(io.BytesIO(data))
    assert wb["事项"]["C2"].value == "Administrative licence" and wb["材料"]["C2"].value == "Electronic document"
    data = _edit(data, "事项", {"B2": "食品经营许可（修订）"})
    result = excel.import_workbook(data, actor=dept_head)  # read by a Chinese reader
    assert result.versioned == 1
    published.refresh_from_db()
    assert published.current.kind == "licensing" and published.current.version == 2
    assert set(published.current.materials.values_list("form", flat=True)) == {"electronic", "copy"}


def test_import_is_all_or_nothing_with_row_errors(published, dept_head, city):
    data = _edit(_workbook(published), "事项", {"A3": "SCJG-BAD", "B3": "坏事项", "C3": "不存在的类型",
                                                  "E3": "SF-SCJG", "G3": 5, "H3": 9, "U3": "simple"})
    data = _edit(data, "材料", {"A4": "NOPE", "B4": "x", "D4": 0})
    with pytest.raises(excel.ImportFailed) as exc:
        excel.import_workbook(data, actor=dept_head)
    errors = exc.value.errors
    assert "事项 第3行：事项类型不正确" in errors
    assert "事项 第3行：承诺办结时限不能超过法定办结时限" in errors
    assert any(e.startswith("材料 第4行：事项编码“NOPE”") for e in errors)
    assert not ServiceItem.objects.filter(code="SCJG-BAD").exists()
    published.refresh_from_db()
    assert published.versions.count() == 1


def test_import_refuses_other_departments_and_garbage(published, dept_head, city):
    data = _edit(_workbook(published), "事项", {"E2": "SF-XZSP"})
    with pytest.raises(excel.ImportFailed) as exc:
        excel.import_workbook(data, actor=dept_head)
    assert exc.value.errors[0].startswith("事项 第2行：您无权维护")
    with pytest.raises(excel.ImportFailed, match="无法读取"):
        excel.import_workbook(b"not a zip", actor=dept_head)
    with pytest.raises(excel.ImportFailed, match="没有数据"):
        excel.import_workbook(excel.export_workbook(), actor=dept_head)
    bad_json = _edit(_workbook(published), "事项", {"V2": "{bad"})
    with pytest.raises(excel.ImportFailed, match="JSON"):
        excel.import_workbook(bad_json, actor=dept_head)


def test_management_command(published, dept_head, tmp_path):
    path = tmp_path / "items.xlsx"
    path.write_bytes(_edit(_workbook(published), "事项", {"B2": "食品经营许可（修订）"}))
    call_command("import_items", str(path), "--as", dept_head.username)
    published.refresh_from_db()
    assert published.current.version == 2
    path.write_bytes(_edit(path.read_bytes(), "事项", {"H2": 999}))
    with pytest.raises(CommandError, match="事项 第2行"):
        call_command("import_items", str(path), "--as", dept_head.username)
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_items", str(tmp_path / "nope.xlsx"), "--as", dept_head.username)


def test_api_public_search_and_guide(published, client):
    body = client.get("/api/v1/catalog/items", {"q": "食品"}).json()
    assert body["count"] == 1 and body["items"][0]["code"] == "SCJG-001"
    assert client.get("/api/v1/catalog/items", {"q": "不存在"}).json()["count"] == 0
    assert client.get("/api/v1/catalog/items", {"department": "SF-SCJG", "kind": "licensing",
                                                "life_event": "kbqy"}).json()["count"] == 1
    guide = client.get("/api/v1/catalog/items/SCJG-001").json()
    assert guide["materials"][1]["shared"] is True and guide["form_schema"]["required"] == ["shop_name"]
    assert guide["free"] is True
    assert client.get("/api/v1/catalog/items/NOPE").status_code == 404


def test_api_labels_items_in_the_readers_language(published, client):
    assert client.get("/api/v1/catalog/items/SCJG-001").json()["kind_label"] == "行政许可"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    guide = client.get("/api/v1/catalog/items/SCJG-001")
    assert guide.status_code == 200, guide.content
    assert (guide.json()["kind"], guide.json()["kind_label"]) == ("licensing", "Administrative licence")
    assert guide.json()["materials"][0]["form_label"] == "Electronic document"


def test_api_hides_drafts(item, client):
    assert client.get("/api/v1/catalog/items").json()["count"] == 0
    assert client.get("/api/v1/catalog/items/SCJG-001").status_code == 404


def test_api_import(published, dept_head, clerk, client):
    login_staff(client, dept_head)
    data = _workbook(published)
    response = client.post("/api/v1/catalog/import", {"file": io.BytesIO(data)})
    assert response.status_code == 200, response.content
    assert (response.json()["versioned"], response.json()["unchanged"]) == (0, 1)
    data = _edit(data, "事项", {"B2": "食品经营许可（修订）"})
    response = client.post("/api/v1/catalog/import", {"file": io.BytesIO(data)})
    assert response.json()["versioned"] == 1
    bad = _edit(data, "事项", {"H2": 999})
    response = client.post("/api/v1/catalog/import", {"file": io.BytesIO(bad)})
    assert response.status_code == 400
    assert response.json()["errors"] == ["事项 第2行：承诺办结时限不能超过法定办结时限"]
    client.logout()
    login_staff(client, clerk)
    response = client.post("/api/v1/catalog/import", {"file": io.BytesIO(data)})
    assert response.status_code == 403 and "权限" in response.json()["message"]


def test_api_bundles(published, city, client):
    from zhengtong.services.catalog import jsonform
    from zhengtong.services.catalog.models import Bundle
    b = Bundle.objects.create(code="b1", name="一件事", lead_department=city.dept("approval"), promised_days=5,
                              published=True, form_schema=jsonform.merge([published.current.form_schema]))
    b.items.set([published])
    assert client.get("/api/v1/catalog/bundles").json()[0]["items"] == ["SCJG-001"]
    detail = client.get("/api/v1/catalog/bundles/b1").json()
    assert detail["materials"][0]["items"] == ["食品经营许可"] and detail["apply_url"] == "/apply/bundle/b1/"
    assert client.get("/api/v1/catalog/bundles/nope").status_code == 404
    assert json.dumps(detail, ensure_ascii=False)


def test_a_new_item_needs_an_active_department_and_a_current_division(published, dept_head, city):
    from datetime import timedelta

    from django.utils import timezone

    from zhengtong.core.org.models import Region

    wb = load_workbook(io.BytesIO(_workbook(published)))
    ws = wb["事项"]
    ws.append([c.value for c in ws[2]])
    ws["A3"] = "SCJG-NEW"
    wb["材料"].append(["SCJG-NEW", "申请书", "电子材料", 1, "是", "D", "", "", ""])
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    department = published.department
    department.is_active = False
    department.save(update_fields=["is_active"])
    Region.objects.filter(pk=published.region_id).update(valid_to=timezone.localdate() - timedelta(days=1))
    with pytest.raises(excel.ImportFailed) as exc:
        excel.import_workbook(data, actor=dept_head)
    assert f"事项 第3行：部门“{department.name}”已停用" in exc.value.errors
    assert f"事项 第3行：区划代码“{published.region.code}”已废止" in exc.value.errors
    assert not any(e.startswith("事项 第2行") for e in exc.value.errors)  # the existing item keeps its own
    assert not ServiceItem.objects.filter(code="SCJG-NEW").exists()
