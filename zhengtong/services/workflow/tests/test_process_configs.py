"""Process configurations: every problem reported against its branch, statutory limits of the
items a row reaches, create-or-replace, delete, audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from zhengtong.core.audit.models import AuditEntry
from zhengtong.services.catalog.models import ItemVersion
from zhengtong.services.workflow import queries
from zhengtong.services.workflow.actions import (
    ConfigInvalid,
    WorkflowError,
    do_delete_process_config,
    do_save_process_config,
)
from zhengtong.services.workflow.models import ProcessConfig
from zhengtong.services.workflow.tests.conftest import make_item


def invalid(**kwargs) -> dict[str, str]:
    with pytest.raises(ConfigInvalid) as exc:
        do_save_process_config(**kwargs)
    assert exc.value.status == 400
    assert not ProcessConfig.objects.exists()
    assert not AuditEntry.objects.filter(action="workflow.config.saved").exists()
    return exc.value.errors


def branch(code: str, limit: int | None = None, **extra) -> dict:
    return {"department_code": code, **({"limit_days": limit} if limit is not None else {}), **extra}


def test_every_bad_branch_is_reported_against_its_row(sysadmin, co_depts):
    errors = invalid(process_key="parallel", actor=sysadmin, branches=[
        branch("SF-ZJ", 5), branch("NOPE", 5), branch("SF-ZJ", 0, role="nobody")])
    assert errors == {
        "branches.1.department_code": "第 2 个分支的部门 NOPE 不存在或已停用",
        "branches.2.department_code": "第 3 个分支的部门与第 1 个分支重复",
        "branches.2.limit_days": "第 3 个分支的时限须为 1–60 个工作日",
        "branches.2.role": "第 3 个分支的办理角色 nobody 不存在或不能办理审批任务",
    }


@pytest.mark.parametrize(("branches", "key", "message"), [
    ([], "branches", "请至少配置一个部门"),
    ([branch("SF-ZJ"), branch("SF-ZRZY"), branch("SF-YJ"), branch("SF-SCJG")], "branches", "只有 3 个可配置的环节"),
    ([branch("SF-ZJ", -1)], "branches.0.limit_days", "1–60"),
    ([branch("SF-ZJ", 61)], "branches.0.limit_days", "1–60"),
    ([branch("SF-ZJ", True)], "branches.0.limit_days", "1–60"),
    (["SF-ZJ"], "branches.0", "格式不正确"),
])
def test_branch_lists_are_validated(sysadmin, co_depts, branches, key, message):
    assert message in invalid(process_key="parallel", actor=sysadmin, branches=branches)[key]


def test_an_inactive_department_is_refused(sysadmin, co_depts):
    co_depts["住建"].is_active = False
    co_depts["住建"].save(update_fields=["is_active"])
    assert "不存在或已停用" in invalid(process_key="parallel", actor=sysadmin,
                                     branches=[branch("SF-ZJ")])["branches.0.department_code"]


@pytest.mark.parametrize(("key", "message"), [
    ("simple", "没有可配置的会签或并联环节"), ("nope", "未知的审批流程"),
])
def test_only_a_runnable_process_with_slots_is_configured(sysadmin, co_depts, key, message):
    assert message in invalid(process_key=key, actor=sysadmin, branches=[branch("SF-ZJ")])["process_key"]


def test_an_item_row_needs_an_item_that_uses_the_process(sysadmin, co_depts, city):
    make_item(city, "ITEM-S", "simple")
    assert "不存在" in invalid(process_key="parallel", item_code="NOPE", actor=sysadmin,
                            branches=[branch("SF-ZJ")])["item_code"]
    assert "没有使用流程 parallel（现行版本使用 simple）" in invalid(
        process_key="parallel", item_code="ITEM-S", actor=sysadmin, branches=[branch("SF-ZJ")])["item_code"]


def test_the_implementing_department_twice_is_a_duplicate_for_an_item(sysadmin, co_depts, city):
    make_item(city, "ITEM-P", "parallel")  # implemented by the market bureau SF-SCJG
    errors = invalid(process_key="parallel", item_code="ITEM-P", actor=sysadmin,
                     branches=[branch("*"), branch("SF-SCJG")])
    assert errors == {"branches.1.department_code": "第 2 个分支的部门与第 1 个分支重复"}


def test_a_branch_may_not_outlast_the_statutory_limit_of_the_items_it_reaches(sysadmin, co_depts, city):
    short = make_item(city, "ITEM-SHORT", "parallel")
    ItemVersion.objects.filter(pk=short.pk).update(statutory_days=4, promised_days=3)
    errors = invalid(process_key="parallel", item_code="ITEM-SHORT", actor=sysadmin,
                     branches=[branch("SF-ZJ", 4), branch("SF-ZRZY", 5)])
    assert errors == {"branches.1.limit_days": "第 2 个分支的时限 5 个工作日超过了事项 ITEM-SHORT（测试事项 ITEM-SHORT）"
                                                "的法定办结时限 4 个工作日"}
    # the default reaches the item too, as long as it has no row of its own
    assert "ITEM-SHORT" in invalid(process_key="parallel", actor=sysadmin,
                                   branches=[branch("SF-ZJ", 5)])["branches.0.limit_days"]
    do_save_process_config(process_key="parallel", item_code="ITEM-SHORT", branches=[branch("SF-ZJ", 4)],
                           actor=sysadmin)
    default = do_save_process_config(process_key="parallel", branches=[branch("SF-ZJ", 5)], actor=sysadmin)
    assert default.branches[0]["limit_days"] == 5


def test_a_branch_without_role_or_limit_takes_the_process_own(sysadmin, co_depts):
    config = do_save_process_config(process_key="countersign", actor=sysadmin,
                                    branches=[branch("*"), branch("SF-ZJ", label=" 住建会签 ")])
    assert config.branches == [
        {"department_code": "*", "label": "", "limit_days": 3, "role": "approver"},
        {"department_code": "SF-ZJ", "label": "住建会签", "limit_days": 3, "role": "dept_head"},
    ]


def test_saving_replaces_and_is_audited_and_create_refuses_an_existing_row(sysadmin, co_depts):
    first = do_save_process_config(process_key="parallel", branches=[branch("SF-ZJ", 5)], actor=sysadmin)
    entry = AuditEntry.objects.get(action="workflow.config.saved")
    assert entry.before is None and entry.after["process_key"] == "parallel" and entry.actor == sysadmin
    second = do_save_process_config(process_key="parallel", branches=[branch("SF-YJ", 2)], actor=sysadmin)
    assert second.pk == first.pk and second.branches[0]["department_code"] == "SF-YJ"
    latest = AuditEntry.objects.filter(action="workflow.config.saved").order_by("-seq").first()
    assert latest.before == {"branches": first.branches} and latest.after["branches"] == second.branches
    with pytest.raises(WorkflowError) as exc:
        do_save_process_config(process_key="parallel", branches=[branch("SF-ZJ")], actor=sysadmin, create=True)
    assert exc.value.status == 409
    assert ProcessConfig.objects.get().branches == second.branches


def test_deleting_is_audited_and_needs_the_right(sysadmin, co_depts, dept_head):
    config = do_save_process_config(process_key="parallel", branches=[branch("SF-ZJ", 5)], actor=sysadmin)
    with pytest.raises(PermissionDenied):
        do_delete_process_config(config, actor=dept_head)
    with pytest.raises(PermissionDenied):
        do_save_process_config(process_key="parallel", branches=[branch("SF-ZJ", 5)], actor=dept_head)
    do_delete_process_config(config, actor=sysadmin)
    assert not ProcessConfig.objects.exists()
    entry = AuditEntry.objects.get(action="workflow.config.deleted")
    assert entry.actor == sysadmin and entry.before["branches"] == config.branches
    with pytest.raises(WorkflowError) as exc:
        do_delete_process_config(config, actor=sysadmin)
    assert exc.value.status == 404


def test_the_items_of_a_process_and_the_row_that_applies(sysadmin, co_depts, city):
    make_item(city, "ITEM-A", "parallel")
    make_item(city, "ITEM-B", "parallel")
    make_item(city, "ITEM-C", "simple")
    do_save_process_config(process_key="parallel", branches=[branch("SF-ZJ", 5)], actor=sysadmin)
    do_save_process_config(process_key="parallel", item_code="ITEM-B", branches=[branch("SF-YJ", 5)],
                           actor=sysadmin)
    assert [(i.code, i.own_config) for i in queries.items_using("parallel")] == [("ITEM-A", False),
                                                                                  ("ITEM-B", True)]
    reach = {r["config"].item_code: r["reach"] for r in queries.config_list("parallel")}
    assert reach == {"": 1, "ITEM-B": 1}
