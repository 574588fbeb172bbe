from __future__ import annotations

import io

from openpyxl import load_workbook

from zhengtong.core.audit.models import AuditEntry
from zhengtong.services.catalog import excel
from zhengtong.services.catalog.models import ServiceItem
from zhengtong.testing.personas import login_staff

BASE = "/console/catalog/"


def _post_data(**over):
    data = {
        "code": "SCJG-009", "department": "SF-SCJG", "name": "食品生产许可", "kind": "licensing", "audience": "enterprise",
        "legal_basis": "食品安全法", "conditions": "条件", "process_description": "流程", "statutory_days": "20",
        "promised_days": "10", "acceptance_days": "5", "special_steps": "现场核查:10:依据", "fees": "",
        "place": "中心", "hours": "工作日", "online_depth": "4", "visits_needed": "0", "consultation": "电话",
        "complaint": "12345", "faq": "问|答", "form_schema": '{"type": "object", "properties": {}}',
        "process_key": "simple", "life_events": ["kbqy"],
        "m-TOTAL_FORMS": "2", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "0", "m-MAX_NUM_FORMS": "1000",
        "m-0-name": "申请书", "m-0-form": "electronic", "m-0-count": "1", "m-0-required": "on", "m-0-trust_level": "D",
    }
    data.update(over)
    return data


def test_list_is_scoped_and_guarded(published, dept_head, clerk, client):
    login_staff(client, dept_head)
    page = client.get(BASE)
    assert page.status_code == 200 and "SCJG-001" in page.content.decode()
    client.logout()
    login_staff(client, clerk)
    assert client.get(BASE).status_code == 403
    assert client.get(BASE + "items/SCJG-001/").status_code == 403


def test_create_edit_publish_through_console(city, life_event, dept_head, client):
    login_staff(client, dept_head)
    assert client.get(BASE + "new/").status_code == 200
    bad = client.post(BASE + "new/", _post_data(promised_days="30", **{"m-1-name": "申请书", "m-1-count": "1",
                                                                         "m-1-form": "copy", "m-1-trust_level": "C"}))
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "承诺办结时限不能超过法定办结时限" in html
    assert not ServiceItem.objects.exists()
    response = client.post(BASE + "new/", _post_data())
    assert response.status_code == 302, (response.context["form"].errors, response.context["head"].errors, response.context["formset"].errors)
    item = ServiceItem.objects.get(code="SCJG-009")
    assert item.versions.get().special_steps == [{"name": "现场核查", "max_days": 10, "basis": "依据"}]
    assert client.get(BASE + "items/SCJG-009/v1/edit/").status_code == 200
    response = client.post(BASE + "items/SCJG-009/v1/edit/", _post_data(name="食品生产许可（改）", **{
        "m-TOTAL_FORMS": "1", "m-0-name": "新申请书"}))
    assert response.status_code == 302
    assert client.post(BASE + "items/SCJG-009/v1/publish/").status_code == 302
    item.refresh_from_db()
    assert item.current.name == "食品生产许可（改）" and item.current.materials.get().name == "新申请书"
    # editing the published version makes version 2; history shows the change
    client.post(BASE + "items/SCJG-009/v1/edit/", _post_data(name="食品生产许可（第二版）"))
    assert item.versions.count() == 2 and item.versions.get(version=1).name == "食品生产许可（改）"
    history = client.get(BASE + "items/SCJG-009/").content.decode()
    assert "食品生产许可（第二版）" in history and "<del" in history
    assert AuditEntry.objects.filter(action="catalog.version.publish").count() == 1


def test_new_version_and_publish_errors(published, dept_head, client):
    login_staff(client, dept_head)
    assert client.post(BASE + "items/SCJG-001/new-version/").status_code == 302
    assert published.versions.count() == 2
    response = client.post(BASE + "items/SCJG-001/v1/publish/", follow=True)
    assert "只能发布草稿" in response.content.decode()
    assert client.get(BASE + "items/SCJG-001/new-version/").status_code == 405


def test_a_draft_is_discarded_from_the_item_page(published, dept_head, client):
    login_staff(client, dept_head)
    page = client.get(BASE + "items/SCJG-001/").content.decode()
    assert 'data-testid="discard"' not in page  # no draft yet
    client.post(BASE + "items/SCJG-001/new-version/")
    assert 'data-testid="discard"' in client.get(BASE + "items/SCJG-001/").content.decode()
    refused = client.post(BASE + "items/SCJG-001/v1/discard/", follow=True)  # the published version
    assert "只能删除草稿版本" in refused.content.decode()
    assert client.get(BASE + "items/SCJG-001/v2/discard/").status_code == 405
    done = client.post(BASE + "items/SCJG-001/v2/discard/", follow=True)
    assert "已删除第 2 版草稿" in done.content.decode()
    assert list(ServiceItem.objects.get(code="SCJG-001").versions.values_list("version", flat=True)) == [1]
    assert AuditEntry.objects.filter(action="catalog.version.discard").count() == 1


def test_console_import_export(published, dept_head, client):
    login_staff(client, dept_head)
    exported = client.get(BASE + "export/")
    assert exported.status_code == 200 and exported["Content-Type"] == excel.XLSX_TYPE
    data = exported.content
    # the unchanged export is a no-op; a changed row becomes version 2
    response = client.post(BASE + "import/", {"file": io.BytesIO(data), "publish": "on"}, follow=True)
    assert "未变化 1 项" in response.content.decode()
    published.refresh_from_db()
    assert published.current.version == 1 and published.versions.count() == 1
    wb = load_workbook(io.BytesIO(data))
    wb["事项"]["B2"] = "食品经营许可（修订）"
    changed = io.BytesIO()
    wb.save(changed)
    changed.seek(0)
    assert client.post(BASE + "import/", {"file": changed, "publish": "on"}).status_code == 302
    published.refresh_from_db()
    assert published.current.version == 2 and published.current.name == "食品经营许可（修订）"
    response = client.post(BASE + "import/", {"file": io.BytesIO(b"garbage")})
    assert response.status_code == 400 and "无法读取" in response.content.decode()
    assert client.get(BASE + "export/?template=1").status_code == 200
