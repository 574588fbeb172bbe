"""/api/v1/workflow/definitions and /configs: the same actions and checks as the console."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengtong.core.audit.models import AuditEntry
from zhengtong.services.workflow.actions import check_upload_process
from zhengtong.services.workflow.models import ProcessConfig, ProcessDefinition
from zhengtong.services.workflow.tests import bpmn as B
from zhengtong.services.workflow.tests.conftest import make_item
from zhengtong.testing import personas as P

API = "/api/v1/workflow"


def upload(client, key: str, text: str, name: str = "process.bpmn"):
    return client.post(f"{API}/definitions", {"key": key, "name": "",
                                              "file": SimpleUploadedFile(name, text.encode())})


def save(client, payload: dict):
    return client.post(f"{API}/configs", payload, content_type="application/json")


@pytest.mark.parametrize(("method", "url", "body"), [
    ("get", "/definitions", None), ("get", "/definitions/simple", None), ("get", "/configs", None),
    ("post", "/configs", {"process_key": "parallel", "branches": [{"department_code": "SF-SCJG"}]}),
    ("post", "/definitions/simple/approve", {"sha256": "x"}), ("delete", "/configs/1", None),
])
def test_staff_without_the_right_get_403(client, approver, method, url, body):
    P.login_staff(client, approver)
    kwargs = {"data": body, "content_type": "application/json"} if body is not None else {}
    response = getattr(client, method)(f"{API}{url}", **kwargs)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_an_upload_without_the_right_is_refused_before_the_file_is_read(client, approver):
    P.login_staff(client, approver)
    response = upload(client, "x", "<not xml")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_a_bad_bpmn_is_a_400_with_the_parse_message_and_nothing_written(client, sysadmin):
    P.login_staff(client, sysadmin)
    audited = AuditEntry.objects.count()
    broken = upload(client, "broken", '<?xml version="1.0"?><bpmn:definitions')
    assert broken.status_code == 400
    assert broken.json()["code"] == "invalid_bpmn" and broken.json()["message"].startswith("BPMN 不是合法的 XML：")
    unparsable = upload(client, "bad", B.review_decide("bad").replace('targetRef="decide"', 'targetRef="nowhere"'))
    assert unparsable.status_code == 400 and "BPMN 无法解析" in unparsable.json()["message"]
    scripted = upload(client, "evil", B.scripted("evil", "__import__('os')"))
    assert scripted.status_code == 400 and "流程脚本不安全" in scripted.json()["message"]
    assert upload(client, "t", B.review_decide("t"), "t.txt").status_code == 400
    assert not ProcessDefinition.objects.exists() and AuditEntry.objects.count() == audited


def test_upload_list_read_and_approve(client, sysadmin, sysadmin2, city):
    make_item(city, "ITEM-P", "parallel")
    P.login_staff(client, sysadmin)
    created = upload(client, "fees", B.scripted("fees"))
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "pending" and body["has_scripts"] and not body["runnable"]
    assert [s["id"] for s in body["steps"]] == ["start", "calc", "review", "decide", "end"]
    assert body["steps"][1]["scripts"] == [{"where": "脚本", "source": "fee = 10 + 5"}]
    assert upload(client, "fees", B.scripted("fees")).status_code == 409
    listing = {p["key"]: p for p in client.get(f"{API}/definitions").json()}
    assert listing["parallel"]["source"] == "shipped" and listing["parallel"]["slots"] == 3
    assert listing["parallel"]["items"] == 1 and listing["fees"]["uploaded_by"] == "sys.admin"
    sha = body["sha256"]
    own = client.post(f"{API}/definitions/fees/approve", {"sha256": sha}, content_type="application/json")
    assert own.status_code == 403 and "不能批准自己上传" in own.json()["message"]
    client.logout()
    P.login_staff(client, sysadmin2)
    read = client.get(f"{API}/definitions/fees").json()
    assert read["sha256"] == sha and "<bpmn:scriptTask" in read["bpmn"]
    missing = client.post(f"{API}/definitions/fees/approve", {}, content_type="application/json")
    assert missing.status_code == 400 and missing.json()["code"] == "invalid_request"
    stale = client.post(f"{API}/definitions/fees/approve", {"sha256": "0" * 64}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    ok = client.post(f"{API}/definitions/fees/approve", {"sha256": sha}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "approved" and ok.json()["approved_by"] == "sys.admin2"
    shipped = client.post(f"{API}/definitions/simple/approve", {"sha256": sha}, content_type="application/json")
    assert shipped.status_code == 409
    assert client.get(f"{API}/definitions/nope").status_code == 404


def test_save_list_and_delete_configurations(client, sysadmin, co_depts, city):
    version = make_item(city, "ITEM-P", "parallel")
    P.login_staff(client, sysadmin)
    bad = save(client, {"process_key": "parallel", "item_code": "ITEM-P", "branches": [
        {"department_code": "SF-ZJ", "limit_days": 30}, {"department_code": "SF-ZJ"},
        {"department_code": "GHOST", "limit_days": 0}]})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    assert set(bad.json()["errors"]) == {"branches.1.department_code", "branches.2.department_code",
                                         "branches.2.limit_days"}
    wrong_type = save(client, {"process_key": "parallel", "branches": [{"department_code": "SF-ZJ",
                                                                         "limit_days": "5"}]})
    assert wrong_type.status_code == 400 and wrong_type.json()["code"] == "invalid_request"
    statute = save(client, {"process_key": "parallel", "item_code": "ITEM-P",
                            "branches": [{"department_code": "SF-ZJ", "limit_days": version.statutory_days + 1}]})
    assert statute.status_code == 400 and "法定办结时限" in statute.json()["errors"]["branches.0.limit_days"]
    assert not ProcessConfig.objects.exists()
    ok = save(client, {"process_key": "parallel", "item_code": "ITEM-P", "branches": [
        {"department_code": "SF-ZJ", "label": "住建审查", "limit_days": 5}, {"department_code": "*"}]})
    assert ok.status_code == 200
    body = ok.json()
    assert body["item_name"] == "测试事项 ITEM-P" and body["reach"] == 1
    assert [(b["department"], b["limit_days"]) for b in body["branches"]] == [("市住房和城乡建设局", 5),
                                                                                ("办件的承办部门", 5)]
    assert [c["id"] for c in client.get(f"{API}/configs?process_key=parallel").json()] == [body["id"]]
    assert client.delete(f"{API}/configs/{body['id']}").status_code == 204
    assert not ProcessConfig.objects.exists()
    assert AuditEntry.objects.filter(action="workflow.config.deleted", actor=sysadmin).count() == 1
    gone = client.delete(f"{API}/configs/{body['id']}")
    assert gone.status_code == 404 and gone.json()["code"] == "not_found"


def test_an_approved_upload_can_be_configured(client, sysadmin, sysadmin2, co_depts):
    definition = check_upload_process(key="two", name="", bpmn=B.with_lanes("two"), actor=sysadmin)
    assert definition.runnable
    P.login_staff(client, sysadmin2)
    ok = save(client, {"process_key": "two", "branches": [{"department_code": "SF-ZJ"},
                                                          {"department_code": "SF-YJ"}]})
    assert ok.status_code == 200
    assert [(b["limit_days"], b["role"]) for b in ok.json()["branches"]] == [(4, "approver"), (2, "dept_head")]


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_lists_do_not_grow_a_query_per_row(client, sysadmin, co_depts, city):
    from zhengtong.services.workflow.actions import do_save_process_config

    P.login_staff(client, sysadmin)
    check_upload_process(key="p0", name="", bpmn=B.review_decide("p0"), actor=sysadmin)
    make_item(city, "ITEM-0", "parallel")
    do_save_process_config(process_key="parallel", item_code="ITEM-0", branches=[{"department_code": "SF-ZJ"}],
                           actor=sysadmin)
    few = {url: _queries(client, url) for url in (f"{API}/definitions", f"{API}/configs",
                                                  "/console/workflow/processes/", "/console/workflow/configs/")}
    for n in range(1, 5):
        check_upload_process(key=f"p{n}", name="", bpmn=B.review_decide(f"p{n}"), actor=sysadmin)
        make_item(city, f"ITEM-{n}", "parallel")
        do_save_process_config(process_key="parallel", item_code=f"ITEM-{n}",
                               branches=[{"department_code": "SF-ZJ"}], actor=sysadmin)
    assert {url: _queries(client, url) for url in few} == few
