"""Uploading and approving processes: what the checks refuse (with nothing written), the approval
rule (another administrator, the text read, the text uploaded), and the readable description."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from zhengtong.core.audit.models import AuditEntry
from zhengtong.services.workflow import definitions
from zhengtong.services.workflow.actions import (
    WorkflowError,
    check_upload_process,
    do_approve_process,
    start_process,
)
from zhengtong.services.workflow.models import ProcessDefinition
from zhengtong.services.workflow.tests import bpmn as B


def refused(sysadmin, key: str, text: str) -> WorkflowError:
    audited = AuditEntry.objects.count()
    with pytest.raises(WorkflowError) as exc:
        check_upload_process(key=key, name="", bpmn=text, actor=sysadmin)
    assert not ProcessDefinition.objects.filter(key=key).exists()
    assert AuditEntry.objects.count() == audited
    return exc.value


@pytest.mark.parametrize(("element", "message"), [
    ('<bpmn:serviceTask id="call" name="调接口"/>', "serviceTask（call，第"),
    ('<bpmn:callActivity id="sub" calledElement="other"/>', "callActivity（sub"),
    ('<bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition id="m"/></bpmn:intermediateCatchEvent>',
     "messageEventDefinition"),
    ('<bpmn:boundaryEvent id="late" attachedToRef="review"><bpmn:timerEventDefinition><bpmn:timeDuration>'
     '"P1D"</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>', "cancelActivity"),
    ('<bpmn:complexGateway id="cx"/>', "complexGateway"),
])
def test_an_element_the_engine_cannot_run_is_refused_by_name_and_line(sysadmin, element, message):
    exc = refused(sysadmin, "odd", B.review_decide("odd").replace('<bpmn:endEvent id="end"', element
                                                                      + '\n<bpmn:endEvent id="end"'))
    assert exc.status == 400 and exc.code == "invalid_bpmn"
    assert message in exc.message and "不支持" in exc.message


def test_a_non_interrupting_boundary_timer_is_accepted(sysadmin):
    timer = ('<bpmn:boundaryEvent id="remind" attachedToRef="review" cancelActivity="false">'
             '<bpmn:timerEventDefinition><bpmn:timeDuration>"P1D"</bpmn:timeDuration></bpmn:timerEventDefinition>'
             '</bpmn:boundaryEvent>\n<bpmn:endEvent id="reminded"/>\n'
             '<bpmn:sequenceFlow id="f_remind" sourceRef="remind" targetRef="reminded"/>\n')
    text = B.review_decide("timed").replace('<bpmn:endEvent id="end"', timer + '<bpmn:endEvent id="end"')
    definition = check_upload_process(key="timed", name="", bpmn=text, actor=sysadmin)
    steps = [s.id for s in definitions.description_of("timed").steps]
    assert definition.runnable and steps.index("remind") == steps.index("review") + 1


@pytest.mark.parametrize(("text", "message"), [
    (B.review_decide("p", review_role="nobody"), "办理角色不存在或不能办理审批任务：nobody"),
    (B.review_decide("p", review_role="clerk"), "clerk"),  # a role that cannot complete approval tasks
    (B.review_decide("p").replace('value="3"', 'value="0"'), "limit_days 须为 1–60"),
    (B.review_decide("p").replace('name="decision" value="true"', 'name="decision" value="yes"'),
     "decision 只能是 true 或 false"),
    (B.review_decide("p").replace('name="decision" value="true"', 'name="decision" value="false"'),
     "没有决定环节"),
    (B.with_lanes("p").replace('name="slot" value="1"', 'name="slot" value="2"'), "slot 须从 0 开始连续编号"),
    (B.scripted("p", "import os"), "流程脚本不安全"),
    (B.scripted("p", "x = ().__class__"), "流程脚本不安全"),
])
def test_task_properties_and_scripts_are_checked_at_upload(sysadmin, text, message):
    exc = refused(sysadmin, "p", text)
    assert message in exc.message


@pytest.mark.parametrize("key", ["流程", "1abc", "a b", "x" * 61])
def test_a_key_outside_the_pattern_is_refused(sysadmin, key):
    exc = refused(sysadmin, key, B.review_decide(key))
    assert "流程编码" in exc.message


def test_a_second_upload_of_the_same_key_is_a_conflict(sysadmin):
    check_upload_process(key="dup", name="", bpmn=B.review_decide("dup"), actor=sysadmin)
    with pytest.raises(WorkflowError) as exc:
        check_upload_process(key="dup", name="", bpmn=B.review_decide("dup"), actor=sysadmin)
    assert exc.value.status == 409
    assert ProcessDefinition.objects.filter(key="dup").count() == 1


def test_an_upload_is_audited_with_its_digest(sysadmin):
    text = B.scripted("fees")
    definition = check_upload_process(key="fees", name="收费流程", bpmn=text, actor=sysadmin)
    entry = AuditEntry.objects.get(action="workflow.process.uploaded")
    assert entry.actor == sysadmin and entry.object_id == str(definition.pk)
    assert entry.after["sha256"] == definitions.sha256_of(text) and entry.after["has_scripts"] is True
    assert definition.name == "收费流程" and not definition.runnable


def test_the_approval_rule(sysadmin, sysadmin2, dept_head):
    definition = check_upload_process(key="fees", name="", bpmn=B.scripted("fees"), actor=sysadmin)
    with pytest.raises(PermissionDenied):
        do_approve_process(definition, actor=dept_head)
    with pytest.raises(WorkflowError) as own:
        do_approve_process(definition, actor=sysadmin, sha256=definition.sha256)
    assert own.value.status == 403 and "不能批准自己上传" in own.value.message
    with pytest.raises(WorkflowError) as stale:
        do_approve_process(definition, actor=sysadmin2, sha256="0" * 64)
    assert stale.value.status == 409 and "与您查看的版本不一致" in stale.value.message
    assert not AuditEntry.objects.filter(action="workflow.process.approved").exists()
    approved = do_approve_process(definition, actor=sysadmin2, sha256=definition.sha256.upper())
    assert approved.approved_by == sysadmin2 and approved.runnable
    entry = AuditEntry.objects.get(action="workflow.process.approved")
    assert entry.actor == sysadmin2 and entry.after["sha256"] == definition.sha256
    with pytest.raises(WorkflowError) as again:
        do_approve_process(definition, actor=sysadmin2)
    assert again.value.status == 409


def test_a_process_without_scripts_needs_no_approval(sysadmin, sysadmin2):
    definition = check_upload_process(key="plain", name="", bpmn=B.review_decide("plain"), actor=sysadmin)
    assert definition.runnable
    with pytest.raises(WorkflowError, match="无需批准") as exc:
        do_approve_process(definition, actor=sysadmin2)
    assert exc.value.status == 409 and ProcessDefinition.objects.get(pk=definition.pk).approved_at is None


def test_a_text_changed_behind_the_platform_is_neither_approved_nor_run(sysadmin, sysadmin2, app_factory,
                                                                         approver):
    pending = check_upload_process(key="fees", name="", bpmn=B.scripted("fees"), actor=sysadmin)
    ProcessDefinition.objects.filter(pk=pending.pk).update(bpmn=B.scripted("fees", "fee = 99"))
    with pytest.raises(WorkflowError, match="与上传时的摘要不一致"):
        do_approve_process(pending, actor=sysadmin2)
    plain = check_upload_process(key="plain", name="", bpmn=B.review_decide("plain"), actor=sysadmin)
    ProcessDefinition.objects.filter(pk=plain.pk).update(bpmn=B.review_decide("plain", review_role="dept_head"))
    with pytest.raises(WorkflowError, match="摘要不一致"):
        start_process(app_factory("plain"), actor=approver)


def test_the_description_reads_in_order_with_lanes_roles_slots_and_scripts():
    text = B.with_lanes("two")
    description = definitions.describe(definitions.parse_xml(text), "two")
    assert [s.id for s in description.steps] == ["start", "review", "cs_a", "cs_b", "decide", "end"]
    cs_b = description.steps[3]
    assert (cs_b.kind_label, cs_b.lane, cs_b.role, cs_b.slot, cs_b.limit_days) == ("审批任务", "协办部门",
                                                                                    "dept_head", 1, 2)
    assert description.lanes[1] == ("协办部门", ("会签一", "会签二"))
    assert description.slot_count == 2 and description.steps[4].decision
    scripted = definitions.describe(definitions.parse_xml(B.scripted("s")), "s")
    assert [(step.id, where, source) for step, where, source in scripted.scripts] == [("calc", "脚本",
                                                                                      "fee = 10 + 5")]


@pytest.mark.parametrize("key", definitions.SHIPPED_KEYS)
def test_the_shipped_processes_pass_the_upload_checks(key):
    root = definitions.parse_xml(definitions.source(key))
    definitions.check_supported(root)
    definitions.check_steps(definitions.describe(root, key))
    steps = definitions.description_of(key).steps
    assert steps[0].kind == "startEvent" and steps[-1].kind == "endEvent"


@pytest.mark.parametrize(("name", "raw", "message"), [
    ("p.txt", b"<x/>", ".bpmn 或 .xml"),
    ("p.bpmn", b"", "空的"),
    ("p.bpmn", "<x>中</x>".encode("gbk"), "UTF-8"),
    ("p.bpmn", b"<x>" + b" " * definitions.MAX_BPMN_BYTES + b"</x>", "过大"),
])
def test_an_uploaded_file_is_checked_before_it_is_read_as_bpmn(name, raw, message):
    with pytest.raises(definitions.DefinitionError, match=message):
        definitions.decode_upload(name, raw)
