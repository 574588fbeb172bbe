"""Only shipped or approved processes run; expressions are sandboxed; uploads are checked."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from zhengtong.services.workflow.actions import (
    WorkflowError,
    check_upload_process,
    complete_task,
    do_approve_process,
    do_save_process_config,
    start_process,
)
from zhengtong.services.workflow.models import (
    ProcessDefinition,
    ProcessInstance,
    TaskStatus,
    WorkTask,
)
from zhengtong.services.workflow.sandbox import SafeEnvironment, UnsafeExpression, check

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="x">
  <bpmn:process id="{key}" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="{first}"/>"""
DECISION = """<bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="decision" value="true"/></spiffworkflow:properties></bpmn:extensionElements>"""
SCRIPTED = HEAD + """
    <bpmn:scriptTask id="calc" name="计算"><bpmn:script>fee = 10 + 5</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="f2" sourceRef="calc" targetRef="decide"/>
    <bpmn:userTask id="decide" name="决定">{decision}</bpmn:userTask>
    <bpmn:sequenceFlow id="f3" sourceRef="decide" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>"""
PLAIN = HEAD + """
    <bpmn:userTask id="decide" name="决定">{decision}</bpmn:userTask>
    <bpmn:sequenceFlow id="f3" sourceRef="decide" targetRef="gw"/>
    <bpmn:exclusiveGateway id="gw" default="f5"/>
    <bpmn:sequenceFlow id="f4" sourceRef="gw" targetRef="end"><bpmn:conditionExpression>{condition}</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f5" sourceRef="gw" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>"""


@pytest.mark.parametrize("expression", [
    "__import__('os').system('id')", "().__class__.__bases__", "open('/etc/passwd')", "x.y", "lambda: 1",
    "[c for c in ()]", "'a' * 10**9", "_secret",
])
def test_the_sandbox_refuses_anything_outside_the_allow_list(expression):
    with pytest.raises(UnsafeExpression):
        check(expression)


def test_the_sandbox_evaluates_plain_conditions_without_builtins():
    env = SafeEnvironment()
    assert env.evaluate('outcome("decide") == "return"', {"outcome_decide": "return"}) is True
    assert env.evaluate("any_rejected() or amount > 3", {"rejections": {}, "amount": 5}) is True
    with pytest.raises(UnsafeExpression, match="未经系统管理员批准"):
        env.execute("x = 1", {})


def test_an_uploaded_process_with_a_script_is_refused_until_a_sysadmin_approves(
        app_factory, sysadmin, sysadmin2, dept_head, decisions):
    definition = check_upload_process(key="scripted", name="含脚本流程",
                                      bpmn=SCRIPTED.format(key="scripted", first="calc", decision=DECISION), actor=sysadmin)
    assert definition.has_scripts and not definition.runnable
    app = app_factory("scripted")
    with pytest.raises(WorkflowError, match="须经系统管理员批准"):
        start_process(app, actor=dept_head)
    assert not ProcessInstance.objects.exists()
    with pytest.raises(WorkflowError, match="不能批准自己上传"):
        do_approve_process(definition, actor=sysadmin)
    with pytest.raises(PermissionDenied):
        do_approve_process(definition, actor=dept_head)
    do_approve_process(definition, actor=sysadmin2)
    instance = start_process(app, actor=dept_head)
    task = WorkTask.objects.get(application=app, status=TaskStatus.OPEN)
    assert task.label == "决定" and task.role_code == "approver"
    assert ProcessInstance.objects.get(pk=instance.pk).state  # the script ran in the sandbox


def test_an_upload_without_scripts_runs_at_once(app_factory, sysadmin, approver, decisions):
    bpmn = PLAIN.format(key="plain", first="decide", condition='outcome("decide") == "never"', decision=DECISION)
    definition = check_upload_process(key="plain", name="", bpmn=bpmn, actor=sysadmin)
    assert definition.runnable and not definition.has_scripts
    app = app_factory("plain")
    start_process(app, actor=approver)
    complete_task(WorkTask.objects.get(application=app), actor=approver, outcome="approve")
    assert ProcessInstance.objects.get(application=app).status == "completed"


@pytest.mark.parametrize(("key", "bpmn", "message"), [
    ("simple", "<x/>", "内置流程"),
    ("evil", PLAIN.format(key="evil", first="decide", condition="__import__('os')", decision=DECISION), "表达式不安全"),
    ("xxe", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', "DOCTYPE"),
    ("broken", "<bpmn:definitions", "不是合法的 XML"),
    ("other", PLAIN.format(key="mismatch", first="decide", condition="True", decision=DECISION), "没有编码为 other 的流程"),
    ("nodecide", PLAIN.format(key="nodecide", first="decide", condition="True", decision=""), "没有决定环节"),
])
def test_bad_uploads_are_refused_with_nothing_stored(sysadmin, key, bpmn, message):
    with pytest.raises(WorkflowError, match=message):
        check_upload_process(key=key, name="x", bpmn=bpmn, actor=sysadmin)
    assert not ProcessDefinition.objects.exists()


def test_only_a_system_administrator_uploads(dept_head):
    with pytest.raises(PermissionDenied):
        check_upload_process(key="x", name="x", bpmn="<x/>", actor=dept_head)


def test_process_configuration_is_validated(sysadmin, city):
    with pytest.raises(WorkflowError, match="部门 NOPE 不存在"):
        do_save_process_config(process_key="parallel", branches=[{"department_code": "NOPE"}], actor=sysadmin)
    with pytest.raises(WorkflowError, match="1–60"):
        do_save_process_config(process_key="parallel", branches=[{"department_code": "SF-SCJG", "limit_days": 0}],
                               actor=sysadmin)
    with pytest.raises(WorkflowError, match="未知的审批流程"):
        do_save_process_config(process_key="nope", branches=[{"department_code": "SF-SCJG"}], actor=sysadmin)
    config = do_save_process_config(process_key="parallel", branches=[{"department_code": "SF-SCJG"}],
                                    actor=sysadmin)
    # a branch without a limit or role takes the process's own for that slot (parallel: 5 days, approver)
    assert config.branches == [{"department_code": "SF-SCJG", "label": "", "limit_days": 5, "role": "approver"}]


def test_refresh_timers_skips_processes_without_timers(app_factory, approver):
    from zhengtong.services.workflow.actions import refresh_timers

    start_process(app_factory("simple"), actor=approver)
    assert refresh_timers() == 0
