from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.notify.models import Message
from zhengtong.core.timelimits.models import CaseStatus, TimedCase
from zhengtong.services.applications import actions
from zhengtong.services.applications.errors import InvalidInput, StateConflict
from zhengtong.services.applications.models import Application, SpecialStep, Status
from zhengtong.services.applications.special_steps import step_kind
from zhengtong.services.applications.tasks import warn_special_step_overruns
from zhengtong.services.applications.tests.conftest import make_item
from zhengtong.services.applications.tests.helpers import submit
from zhengtong.testing.personas import login_staff

pytestmark = pytest.mark.django_db
TUESDAY = "2026-05-12 10:00 +08:00"


@pytest.fixture
def engine(hooks):
    """The real approval engine instead of the mock: its tasks have clocks of their own."""
    from zhengtong.services.workflow.engine import start_process

    hooks.start.side_effect = lambda app, actor: start_process(app, actor=actor)
    return hooks


def accepted(item, applicant, clerk, form_data) -> Application:
    return actions.do_accept(submit(item, applicant, form_data), actor=clerk)


@pytest.mark.parametrize(("name", "kind"), [
    ("听证", "hearing"), ("现场核查", "inspection"), ("现场检查", "inspection"), ("实地检查", "inspection"),
    ("入户调查", "inspection"), ("专家评审", "expert_review"), ("专家论证", "expert_review"),
    ("技术评估", "expert_review"), ("现场评审", "expert_review"), ("检验检测", "testing"),
    ("产品质量检验", "testing"), ("公示", "public_notice"), ("规划方案批前公示", "public_notice"),
    ("离婚冷静期", None), ("", None)])
def test_guide_step_names_map_to_kinds(name, kind):
    assert step_kind(name) == kind


@time_machine.travel(TUESDAY, tick=False)
def test_a_kind_the_guide_does_not_list_is_refused_and_nothing_changes(item, applicant, clerk, form_data):
    app = accepted(item, applicant, clerk, form_data)
    with pytest.raises(InvalidInput, match="未列明“听证”环节") as exc:
        actions.do_start_special_step(app, kind="hearing", note="", actor=clerk)
    assert exc.value.status == 400 and "现场核查、专家评审" in exc.value.message
    with pytest.raises(InvalidInput, match="请选择特殊环节类型"):
        actions.do_start_special_step(app, kind="nap", note="", actor=clerk)
    with pytest.raises(InvalidInput, match="未列明“公开答辩”"):
        actions.do_start_special_step(app, kind="inspection", name="公开答辩", note="", actor=clerk)
    app.refresh_from_db()
    app.processing_case.refresh_from_db()
    assert app.status == Status.REVIEWING and app.processing_case.status == CaseStatus.NORMAL
    assert not SpecialStep.objects.exists()
    assert not AuditEntry.objects.filter(action="applications.application.special_step_started").exists()


@time_machine.travel(TUESDAY, tick=False)
def test_an_item_without_special_steps_allows_none(city, applicant, clerk, form_data):
    plain = make_item("SF-XZSP-0009", city.dept("approval"), name="个体工商户登记", special_steps=[])
    app = accepted(plain, applicant, clerk, form_data)
    with pytest.raises(InvalidInput, match="指南所列特殊环节：无"):
        actions.do_start_special_step(app, kind="inspection", note="", actor=clerk)


@time_machine.travel(TUESDAY, tick=False)
def test_the_latest_end_is_the_listed_working_days_after_the_start(item, applicant, clerk, form_data):
    app = accepted(item, applicant, clerk, form_data)
    step = actions.do_start_special_step(app, kind="inspection", note="核查经营场所", actor=clerk)
    assert (step.name, step.max_days, step.basis) == ("现场核查", 5, "《食品经营许可和备案管理办法》第二十二条")
    assert step.planned_end_on == date(2026, 5, 19)  # 13, 14, 15, 18, 19 May
    entry = AuditEntry.objects.get(action="applications.application.special_step_started")
    assert entry.after["planned_end_on"] == "2026-05-19" and entry.after["max_days"] == 5
    told = Message.objects.get(recipient=applicant, channel="inbox", subject__contains="进入特殊环节")
    assert "不超过 5 个工作日" in told.body and "2026-05-19" in told.body


@time_machine.travel(TUESDAY, tick=False)
def test_two_listed_steps_of_one_kind_are_told_apart_by_name(city, applicant, clerk, form_data):
    steps = [{"name": "技术评估", "max_days": 30, "basis": ""}, {"name": "专家评审", "max_days": 20, "basis": ""}]
    app = accepted(make_item("SF-XZSP-0010", city.dept("approval"), special_steps=steps), applicant, clerk,
                   form_data)
    step = actions.do_start_special_step(app, kind="expert_review", name="专家评审", note="", actor=clerk)
    assert (step.name, step.max_days) == ("专家评审", 20) and step.label == "专家评审"
    actions.do_end_special_step(step, note="", actor=clerk)
    first = actions.do_start_special_step(app, kind="expert_review", note="", actor=clerk)
    assert (first.name, first.max_days) == ("技术评估", 30) and first.label == "专家评审（技术评估）"


@time_machine.travel(TUESDAY, tick=False)
def test_a_special_step_pauses_every_open_clock_and_resumes_them(item, applicant, clerk, form_data, engine):
    app = accepted(item, applicant, clerk, form_data)
    [task] = app.work_tasks.all()
    task_clock, case_clock = task.timed_case, app.processing_case
    task_due, case_due = task_clock.due_date, case_clock.due_date
    step = actions.do_start_special_step(app, kind="inspection", note="", actor=clerk)
    task_clock.refresh_from_db()
    case_clock.refresh_from_db()
    assert case_clock.status == CaseStatus.PAUSED and task_clock.status == CaseStatus.PAUSED
    assert set(step.paused_clocks.values_list("pk", flat=True)) == {task_clock.pk, case_clock.pk}
    with time_machine.travel("2026-05-15 10:00 +08:00", tick=False):
        actions.do_end_special_step(step, note="核查合格", actor=clerk)
    task_clock.refresh_from_db()
    case_clock.refresh_from_db()
    task.refresh_from_db()
    assert case_clock.status != CaseStatus.PAUSED and task_clock.status != CaseStatus.PAUSED
    assert case_clock.paused_days == 3 and task_clock.paused_days == 3  # 13, 14, 15 May
    assert case_clock.due_date > case_due and task_clock.due_date > task_due
    assert task.due_date == task_clock.due_date  # the task inbox follows its clock
    app.refresh_from_db()
    assert app.status == Status.REVIEWING
    assert AuditEntry.objects.filter(action="timelimits.case.resumed").count() == 2


def test_a_task_opened_during_a_special_step_waits_with_the_others(item, applicant, clerk, form_data, engine):
    from zhengtong.services.workflow.actions import complete_task
    from zhengtong.testing.personas import staff

    approver = staff("sp.approver", "审批员", item.department, roles=["approver"], totp=False)
    app = accepted(item, applicant, clerk, form_data)
    review = app.work_tasks.get()
    step = actions.do_start_special_step(app, kind="inspection", note="", actor=clerk)
    complete_task(review, actor=approver, outcome="approve", comment="审查同意")  # the engine opens 决定
    decision = app.work_tasks.exclude(pk=review.pk).get()
    assert decision.timed_case.status == CaseStatus.PAUSED
    assert decision.timed_case in step.paused_clocks.all()
    actions.do_end_special_step(step, note="", actor=clerk)
    decision.timed_case.refresh_from_db()
    assert decision.timed_case.status != CaseStatus.PAUSED


@time_machine.travel(TUESDAY, tick=False)
def test_a_clock_already_paused_is_neither_paused_again_nor_resumed_by_the_step(
        item, applicant, clerk, form_data, engine):
    from zhengtong.core.timelimits.actions import pause_case

    app = accepted(item, applicant, clerk, form_data)
    task_clock = app.work_tasks.get().timed_case
    pause_case(task_clock, on=date(2026, 5, 12), reason="等待外单位意见", actor=clerk)
    step = actions.do_start_special_step(app, kind="inspection", note="", actor=clerk)
    assert list(step.paused_clocks.all()) == [app.processing_case]
    actions.do_end_special_step(step, note="", actor=clerk)
    task_clock.refresh_from_db()
    assert task_clock.status == CaseStatus.PAUSED  # its own pause goes on


def test_withdrawal_during_a_special_step_finishes_every_clock(item, applicant, clerk, form_data, engine):
    from zhengtong.services.workflow.engine import cancel_process

    engine.cancel.side_effect = lambda app, actor: cancel_process(app, actor=actor)
    app = accepted(item, applicant, clerk, form_data)
    task_clock = app.work_tasks.get().timed_case
    actions.do_start_special_step(app, kind="inspection", note="", actor=clerk)
    actions.do_withdraw(app, actor=applicant)
    assert set(TimedCase.objects.filter(pk__in=[task_clock.pk, app.processing_case_id])
               .values_list("status", flat=True)) == {CaseStatus.FINISHED}
    assert SpecialStep.objects.get().ended_on is not None


@time_machine.travel(TUESDAY, tick=False)
def test_an_overrun_shows_on_the_case_page_and_the_daily_job_warns_once(client, item, applicant, clerk, form_data):
    app = accepted(item, applicant, clerk, form_data)
    step = actions.do_start_special_step(app, kind="inspection", note="", actor=clerk)
    login_staff(client, clerk)
    page = client.get(f"/console/applications/{app.pk}/").content.decode()
    assert "2026-05-19" in page and "不超过 5 个工作日" in page and "已超期" not in page
    assert warn_special_step_overruns(date(2026, 5, 19)) == 0  # the last allowed day
    with time_machine.travel("2026-05-21 09:00 +08:00", tick=False):
        login_staff(client, clerk)  # the session idled out over the week
        page = client.get(f"/console/applications/{app.pk}/").content.decode()
        assert "已超期 2 个工作日" in page
        detail = client.get(f"/api/v1/applications/staff/cases/{app.number}").json()
        assert detail["special_steps"][0]["overrun_days"] == 2
        assert warn_special_step_overruns() == 1
        assert warn_special_step_overruns() == 0  # idempotent
    warning = Message.objects.get(recipient=clerk, channel="inbox", subject__contains="特殊环节已超期")
    assert "2026-05-19" in warning.body and "已超期 2 个工作日" in warning.body
    assert Message.objects.filter(recipient=clerk, channel="sms", subject__contains="超期").count() == 1
    assert not Message.objects.filter(recipient=applicant, subject__contains="超期").exists()
    step.refresh_from_db()
    assert step.overrun_warned_on == date(2026, 5, 21)
    assert AuditEntry.objects.filter(action="applications.application.special_step_overrun").count() == 1
    with time_machine.travel("2026-05-22 09:00 +08:00", tick=False):
        actions.do_end_special_step(step, note="", actor=clerk)
    event = app.events.get(action__startswith="特殊环节结束")
    assert "超出办事指南规定时限 3 个工作日" in event.note


@time_machine.travel(TUESDAY, tick=False)
def test_the_console_offers_only_the_guides_steps(client, city, item, applicant, clerk, form_data):
    app = accepted(item, applicant, clerk, form_data)
    login_staff(client, clerk)
    page = client.get(f"/console/applications/{app.pk}/").content.decode()
    assert 'value="inspection:现场核查"' in page and 'value="expert_review:专家评审"' in page
    assert "hearing" not in page
    refused = client.post(f"/console/applications/{app.pk}/special/", {"kind": "hearing", "note": ""})
    assert refused.status_code == 400 and "未列明“听证”环节" in refused.content.decode()
    done = client.post(f"/console/applications/{app.pk}/special/", {"step": "expert_review:专家评审", "note": "x"})
    assert done.status_code == 302
    assert SpecialStep.objects.get().planned_end_on == date(2026, 5, 26)
    plain = accepted(make_item("SF-XZSP-0011", city.dept("approval"), special_steps=[]), applicant, clerk,
                     form_data)
    assert "未列明特殊环节" in client.get(f"/console/applications/{plain.pk}/").content.decode()


@time_machine.travel(TUESDAY, tick=False)
def test_api_starts_and_ends_a_special_step(client, item, applicant, clerk, other_clerk, form_data):
    app = accepted(item, applicant, clerk, form_data)
    url = f"/api/v1/applications/staff/cases/{app.number}/special-steps"
    login_staff(client, clerk)
    detail = client.get(f"/api/v1/applications/staff/cases/{app.number}").json()
    assert [o["name"] for o in detail["special_step_options"]] == ["现场核查", "专家评审"]
    bad = client.post(url, json.dumps({"kind": "hearing"}), content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "not_listed"
    made = client.post(url, json.dumps({"kind": "inspection", "note": "核查"}), content_type="application/json")
    assert made.status_code == 201 and made.json()["planned_end_on"] == "2026-05-19"
    again = client.post(url, json.dumps({"kind": "inspection"}), content_type="application/json")
    assert again.status_code == 409
    step_id = made.json()["id"]
    assert client.post(f"{url}/999999/end", json.dumps({}), content_type="application/json").status_code == 404
    ended = client.post(f"{url}/{step_id}/end", json.dumps({"note": "合格"}), content_type="application/json")
    assert ended.status_code == 200 and ended.json()["ended_on"] == "2026-05-12"
    twice = client.post(f"{url}/{step_id}/end", json.dumps({}), content_type="application/json")
    assert twice.status_code == 409
    client.logout()
    login_staff(client, other_clerk)
    assert client.post(url, json.dumps({"kind": "inspection"}), content_type="application/json").status_code == 404


def test_the_end_may_not_precede_the_start(item, applicant, clerk, form_data):
    app = accepted(item, applicant, clerk, form_data)
    step = actions.do_start_special_step(app, kind="inspection", note="", actor=clerk)
    with pytest.raises(InvalidInput, match="不能早于"):
        actions.do_end_special_step(step, note="", actor=clerk, on=date(2000, 1, 1))
    with pytest.raises(StateConflict):
        actions.do_start_special_step(app, kind="expert_review", note="", actor=clerk)
