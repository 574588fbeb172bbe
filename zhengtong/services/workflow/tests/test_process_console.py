"""The console pages 流程管理 and 流程配置: who may see them, upload, view, approve, configure."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengtong.core.audit.models import AuditEntry
from zhengtong.services.workflow.actions import check_upload_process, do_save_process_config
from zhengtong.services.workflow.models import ProcessConfig, ProcessDefinition
from zhengtong.services.workflow.tests import bpmn as B
from zhengtong.services.workflow.tests.conftest import make_item
from zhengtong.testing import personas as P

PAGES = ["/console/workflow/processes/", "/console/workflow/processes/upload/", "/console/workflow/processes/simple/",
         "/console/workflow/configs/", "/console/workflow/configs/new/"]


def bpmn_file(text: str, name: str = "process.bpmn") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="application/xml")


@pytest.mark.parametrize("url", PAGES)
def test_the_pages_refuse_staff_without_the_right(client, approver, url):
    P.login_staff(client, approver)
    assert client.get(url).status_code == 403


def test_writes_refuse_staff_without_the_right(client, approver, sysadmin, co_depts):
    definition = check_upload_process(key="fees", name="", bpmn=B.scripted("fees"), actor=sysadmin)
    config = do_save_process_config(process_key="parallel", branches=[{"department_code": "SF-ZJ"}],
                                    actor=sysadmin)
    P.login_staff(client, approver)
    upload = client.post("/console/workflow/processes/upload/",
                         {"key": "x", "file": bpmn_file(B.review_decide("x"))})
    approve = client.post("/console/workflow/processes/fees/approve/", {"sha256": definition.sha256})
    save = client.post(f"/console/workflow/configs/{config.pk}/", {})
    delete = client.post(f"/console/workflow/configs/{config.pk}/delete/")
    assert [r.status_code for r in (upload, approve, save, delete)] == [403, 403, 403, 403]
    assert ProcessDefinition.objects.get().approved_at is None and ProcessConfig.objects.count() == 1


def test_the_list_shows_shipped_and_uploaded_processes_with_their_status(client, sysadmin, city):
    check_upload_process(key="fees", name="收费流程", bpmn=B.scripted("fees"), actor=sysadmin)
    make_item(city, "ITEM-P", "parallel")
    P.login_staff(client, sysadmin)
    page = client.get("/console/workflow/processes/")
    body = page.content.decode()
    assert page.status_code == 200
    for key in ("simple", "countersign", "parallel", "fees"):
        assert f'data-testid="process-{key}"' in body
    assert "收费流程" in body and "待批准" in body and "系统管理员" in body
    assert "/console/workflow/processes/upload/" in body


def test_a_bad_upload_shows_the_parse_message_and_writes_nothing(client, sysadmin):
    P.login_staff(client, sysadmin)
    audited = AuditEntry.objects.count()
    broken = client.post("/console/workflow/processes/upload/",
                         {"key": "broken", "file": bpmn_file("<bpmn:definitions")})
    assert broken.status_code == 400 and "BPMN 不是合法的 XML" in broken.content.decode()
    odd = client.post("/console/workflow/processes/upload/", {"key": "odd", "file": bpmn_file(
        B.review_decide("odd").replace('<bpmn:endEvent id="end"', '<bpmn:serviceTask id="call"/><bpmn:endEvent id="end"'))})
    assert odd.status_code == 400 and "serviceTask" in odd.content.decode()
    wrong_type = client.post("/console/workflow/processes/upload/",
                             {"key": "t", "file": bpmn_file(B.review_decide("t"), "t.exe")})
    assert wrong_type.status_code == 400 and ".bpmn 或 .xml" in wrong_type.content.decode()
    too_big = client.post("/console/workflow/processes/upload/",
                          {"key": "big", "file": bpmn_file(B.review_decide("big") + " " * 600_000)})
    assert too_big.status_code == 400 and "过大" in too_big.content.decode()
    assert not ProcessDefinition.objects.exists() and AuditEntry.objects.count() == audited


def test_upload_view_and_approve_by_another_administrator(client, sysadmin, sysadmin2):
    P.login_staff(client, sysadmin)
    done = client.post("/console/workflow/processes/upload/",
                       {"key": "fees", "name": "收费流程", "file": bpmn_file(B.scripted("fees"))})
    assert done.status_code == 302 and done["Location"].endswith("/console/workflow/processes/fees/")
    definition = ProcessDefinition.objects.get(key="fees")
    page = client.get("/console/workflow/processes/fees/")
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="steps"' in body and "计算收费" in body
    assert "fee = 10 + 5" in body and "<details" in body and "&lt;bpmn:scriptTask" in body
    assert 'data-testid="approve"' not in body and "不能批准自己上传" in body
    own = client.post("/console/workflow/processes/fees/approve/", {"sha256": definition.sha256})
    assert own.status_code == 403
    client.logout()
    P.login_staff(client, sysadmin2)
    assert 'data-testid="approve"' in client.get("/console/workflow/processes/fees/").content.decode()
    stale = client.post("/console/workflow/processes/fees/approve/", {"sha256": "0" * 64})
    assert stale.status_code == 409 and "重新查看" in stale.content.decode()
    ok = client.post("/console/workflow/processes/fees/approve/", {"sha256": definition.sha256})
    assert ok.status_code == 302
    definition.refresh_from_db()
    assert definition.approved_by == sysadmin2
    assert "已批准" in client.get("/console/workflow/processes/").content.decode()
    shipped = client.post("/console/workflow/processes/simple/approve/", {"sha256": ""})
    assert shipped.status_code == 409
    assert client.get("/console/workflow/processes/nope/").status_code == 404


def test_a_process_page_shows_the_items_that_use_it_and_its_configurations(client, sysadmin, co_depts, city):
    make_item(city, "ITEM-P", "parallel")
    do_save_process_config(process_key="parallel", branches=[{"department_code": "SF-ZJ", "limit_days": 5}],
                           actor=sysadmin)
    P.login_staff(client, sysadmin)
    body = client.get("/console/workflow/processes/parallel/").content.decode()
    assert "ITEM-P" in body and "测试事项 ITEM-P" in body and "默认配置" in body and "市住房和城乡建设局" in body
    assert "并联汇聚" in body


def test_configure_a_process_for_one_item_in_the_console(client, sysadmin, co_depts, city):
    make_item(city, "ITEM-P", "parallel")
    P.login_staff(client, sysadmin)
    first = client.get("/console/workflow/configs/new/")
    assert first.status_code == 200 and 'data-testid="choose-process"' in first.content.decode()
    rows = client.get("/console/workflow/configs/new/?process_key=parallel")
    body = rows.content.decode()
    assert rows.status_code == 200 and body.count('name="b-') >= 3 * 4 and "ITEM-P" in body

    def form(**rows) -> dict:
        data = {"process_key": "parallel", "item_code": "ITEM-P", "b-TOTAL_FORMS": "3", "b-INITIAL_FORMS": "0",
                "b-MIN_NUM_FORMS": "0", "b-MAX_NUM_FORMS": "3"}
        for n in range(3):
            dept, label, limit, role = rows.get(f"r{n}", ("", "", "", ""))
            data |= {f"b-{n}-department_code": dept, f"b-{n}-label": label, f"b-{n}-limit_days": limit,
                     f"b-{n}-role": role}
        return data

    duplicate = client.post("/console/workflow/configs/new/", form(r0=("SF-ZJ", "", "5", ""),
                                                                   r1=("SF-ZJ", "", "5", "")))
    assert duplicate.status_code == 400 and "与第 1 个分支重复" in duplicate.content.decode()
    zero = client.post("/console/workflow/configs/new/", form(r0=("SF-ZJ", "", "0", "")))
    assert zero.status_code == 400 and "1–60" in zero.content.decode()
    gap = client.post("/console/workflow/configs/new/", form(r0=("SF-ZJ", "", "5", ""), r2=("SF-YJ", "", "5", "")))
    assert gap.status_code == 400 and "请按顺序填写" in gap.content.decode()
    unknown = client.post("/console/workflow/configs/new/", form(r0=("NOPE", "", "5", "")))
    assert unknown.status_code == 400 and "部门不存在或已停用" in unknown.content.decode()
    too_long = client.post("/console/workflow/configs/new/", form(r0=("SF-ZJ", "", "25", "")))
    assert too_long.status_code == 400 and "法定办结时限 20 个工作日" in too_long.content.decode()
    assert not ProcessConfig.objects.exists()
    saved = client.post("/console/workflow/configs/new/", form(r0=("SF-ZJ", "住建审查", "5", ""),
                                                               r1=("*", "", "", "dept_head")))
    assert saved.status_code == 302
    config = ProcessConfig.objects.get(process_key="parallel", item_code="ITEM-P")
    assert config.branches == [
        {"department_code": "SF-ZJ", "label": "住建审查", "limit_days": 5, "role": "approver"},
        {"department_code": "*", "label": "", "limit_days": 5, "role": "dept_head"}]
    again = client.post("/console/workflow/configs/new/", form(r0=("SF-YJ", "", "5", "")))
    assert again.status_code == 409 and "请编辑原配置" in again.content.decode()

    edit = client.get(f"/console/workflow/configs/{config.pk}/")
    assert edit.status_code == 200 and "住建审查" in edit.content.decode()
    data = form(r0=("SF-YJ", "消防审查", "4", ""))
    data |= {"b-INITIAL_FORMS": "2"}
    assert client.post(f"/console/workflow/configs/{config.pk}/", data).status_code == 302
    config.refresh_from_db()
    assert config.branches == [{"department_code": "SF-YJ", "label": "消防审查", "limit_days": 4, "role": "approver"}]
    listing = client.get("/console/workflow/configs/").content.decode()
    assert "消防审查" in listing and "ITEM-P" in listing and 'data-testid="usage-parallel"' in listing

    assert client.post(f"/console/workflow/configs/{config.pk}/delete/").status_code == 302
    assert not ProcessConfig.objects.exists()
    assert AuditEntry.objects.filter(action="workflow.config.deleted", actor=sysadmin).count() == 1
    assert client.get(f"/console/workflow/configs/{config.pk}/").status_code == 404


def test_a_holder_of_only_the_approval_right_finds_the_process_page_in_the_menu(client, city):
    from zhengtong.core.console import ITEMS, visible
    from zhengtong.core.permissions.models import Role

    Role.objects.create(code="process_approver", name="流程批准人", actions=["workflow.process.approve"],
                        admin_group="system")
    approver_only = P.staff("proc.approver", "流程批准人", city.dept("bigdata"), roles=["process_approver"])
    shown = {item.url_name for item in ITEMS if visible(item, approver_only)}
    assert "workflow_console:processes" in shown and "workflow_console:configs" not in shown
    P.login_staff(client, approver_only)
    assert client.get("/console/workflow/processes/").status_code == 200
