"""Small BPMN documents for the upload tests."""

from __future__ import annotations

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
                  id="defs" targetNamespace="https://zhengtong.example/test">
  <bpmn:process id="{key}" name="{name}" isExecutable="true">
"""
TAIL = """  </bpmn:process>
</bpmn:definitions>"""


def props(**values) -> str:
    rows = "".join(f'<spiffworkflow:property name="{k}" value="{v}"/>' for k, v in values.items())
    return f"<bpmn:extensionElements><spiffworkflow:properties>{rows}</spiffworkflow:properties>" \
           f"</bpmn:extensionElements>"


def user_task(task_id: str, name: str, **values) -> str:
    return f'    <bpmn:userTask id="{task_id}" name="{name}">{props(**values) if values else ""}</bpmn:userTask>\n'


def flow(flow_id: str, source: str, target: str, condition: str = "") -> str:
    body = f"<bpmn:conditionExpression>{condition}</bpmn:conditionExpression>" if condition else ""
    return f'    <bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">{body}</bpmn:sequenceFlow>\n'


def document(key: str, body: str, name: str = "测试流程") -> str:
    return HEAD.format(key=key, name=name) + body + TAIL


def review_decide(key: str, *, middle: str = "", first: str = "review", name: str = "测试流程",
                  review_role: str = "approver") -> str:
    """start → [middle…] → 审查 → 决定 → end; ``middle`` must lead from ``first`` to ``review``."""
    body = ('    <bpmn:startEvent id="start" name="受理"/>\n' + flow("f_start", "start", first) + middle
            + user_task("review", "审查", role=review_role, limit_days=3) + flow("f_review", "review", "decide")
            + user_task("decide", "决定", role="dept_head", limit_days=2, decision="true")
            + flow("f_decide", "decide", "end") + '    <bpmn:endEvent id="end" name="办结"/>\n')
    return document(key, body, name)


def scripted(key: str, script: str = "fee = 10 + 5") -> str:
    middle = (f'    <bpmn:scriptTask id="calc" name="计算收费"><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>\n'
              + flow("f_calc", "calc", "review"))
    return review_decide(key, middle=middle, first="calc", name="含脚本流程")


def with_lanes(key: str) -> str:
    """Two lanes and two countersign slots between review and decision."""
    lanes = ('    <bpmn:laneSet id="lanes">\n'
             '      <bpmn:lane id="lane_window" name="窗口"><bpmn:flowNodeRef>start</bpmn:flowNodeRef>'
             '<bpmn:flowNodeRef>review</bpmn:flowNodeRef></bpmn:lane>\n'
             '      <bpmn:lane id="lane_depts" name="协办部门"><bpmn:flowNodeRef>cs_a</bpmn:flowNodeRef>'
             '<bpmn:flowNodeRef>cs_b</bpmn:flowNodeRef></bpmn:lane>\n'
             '      <bpmn:lane id="lane_head" name="负责人"><bpmn:flowNodeRef>decide</bpmn:flowNodeRef>'
             '<bpmn:flowNodeRef>end</bpmn:flowNodeRef></bpmn:lane>\n'
             '    </bpmn:laneSet>\n')
    body = (lanes + '    <bpmn:startEvent id="start" name="受理"/>\n' + flow("f_start", "start", "review")
            + user_task("review", "审查", role="approver", limit_days=3) + flow("f_review", "review", "cs_a")
            + user_task("cs_a", "会签一", role="approver", slot=0, limit_days=4) + flow("f_a", "cs_a", "cs_b")
            + user_task("cs_b", "会签二", role="dept_head", slot=1, limit_days=2) + flow("f_b", "cs_b", "decide")
            + user_task("decide", "决定", role="dept_head", limit_days=2, decision="true")
            + flow("f_decide", "decide", "end") + '    <bpmn:endEvent id="end" name="办结"/>\n')
    return document(key, body, "两级会签")
