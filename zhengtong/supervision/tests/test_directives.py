from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.notify.models import Message
from zhengtong.core.timelimits.models import TimedCase
from zhengtong.supervision import actions
from zhengtong.supervision.models import CaseOutcome, Directive
from zhengtong.supervision.tests.conftest import make_case
from zhengtong.testing.personas import login_staff

MON = date(2025, 3, 3)


def _urge(city, supervisor, **kw):
    about = make_case(city, title="被督办案件")
    return actions.check_issue_directive("urge", actor=supervisor, department=city.dept("market"),
                                         message="请加快办理", reply_days=3, about_case=about, today=MON, **kw)


def test_an_urge_opens_its_own_clock_and_a_reply_closes_it(city, supervisor, dept_head):
    urge = _urge(city, supervisor)
    clock = TimedCase.objects.get(pk=urge.clock_id)
    assert (clock.case_type, clock.department, clock.due_date) == ("supervision.urge", city.dept("market"),
                                                                   date(2025, 3, 6))
    assert clock.subject_name == "食品经营许可"
    assert Message.objects.filter(recipient=dept_head, channel="inbox").exists()
    actions.check_answer_directive(urge, actor=dept_head, answer="已于当日办结", today=date(2025, 3, 5))
    urge.refresh_from_db()
    clock.refresh_from_db()
    assert (urge.status, urge.answered_late, clock.status) == ("closed", False, "finished")
    assert CaseOutcome.objects.filter(case=clock, late=False).exists()
    assert AuditEntry.objects.filter(action__in=["supervision.urge.issued", "supervision.urge.answered"]).count() == 2


def test_a_late_reply_is_marked_and_shown_red(client, city, supervisor, dept_head):
    urge = _urge(city, supervisor)
    actions.check_answer_directive(urge, actor=dept_head, answer="迟复", today=date(2025, 3, 10))
    urge.refresh_from_db()
    assert urge.answered_late is True
    login_staff(client, supervisor)
    page = client.get("/console/supervision/directives/").content.decode()
    assert f'data-directive="{urge.pk}" data-late="1"' in page
    assert "逾期答复" in page and "已逾期" not in page  # replied, late: not overdue any more
    assert "逾期答复" in client.get(f"/console/supervision/directives/{urge.pk}/").content.decode()


@time_machine.travel("2025-03-12 10:00 +0800", tick=False)
def test_an_unanswered_urge_past_its_deadline_shows_red(client, city, supervisor):
    urge = _urge(city, supervisor)
    login_staff(client, supervisor)
    page = client.get("/console/supervision/directives/").content.decode()
    assert f'data-directive="{urge.pk}" data-late="1"' in page
    assert "已逾期" in page and "逾期答复" not in page


def test_a_second_reply_is_a_conflict(city, supervisor, dept_head):
    urge = _urge(city, supervisor)
    actions.check_answer_directive(urge, actor=dept_head, answer="已办", today=date(2025, 3, 4))
    with pytest.raises(actions.Conflict):
        actions.check_answer_directive(urge, actor=dept_head, answer="再答一次", today=date(2025, 3, 4))


def test_a_correction_is_answered_then_closed_by_the_supervisor(city, supervisor, dept_head):
    fix = actions.check_issue_directive("correction", actor=supervisor, department=city.dept("market"),
                                        message="受理材料清单与指南不一致", requirement="修订指南并复核在办案件",
                                        reply_days=10, today=MON)
    with pytest.raises(actions.Conflict):
        actions.do_close_directive(fix, actor=supervisor)  # nothing answered yet
    actions.check_answer_directive(fix, actor=dept_head, answer="已修订指南", today=date(2025, 3, 7))
    fix.refresh_from_db()
    assert fix.status == "answered"
    actions.do_close_directive(fix, actor=supervisor)
    fix.refresh_from_db()
    assert fix.status == "closed" and fix.closed_by == supervisor


def test_a_correction_needs_a_requirement(city, supervisor):
    with pytest.raises(actions.SupervisionError, match="整改要求"):
        actions.check_issue_directive("correction", actor=supervisor, department=city.dept("market"),
                                      message="问题", reply_days=5, today=MON)
    assert not Directive.objects.exists() and not TimedCase.objects.exists()


def test_an_accountability_record_is_kept_and_audited(city, supervisor, dept_head):
    rec = actions.check_issue_directive("accountability", actor=supervisor, department=city.dept("market"),
                                        message="多次超期未办", requirement="通报批评", person_name="张某",
                                        reply_days=10, today=MON)
    entry = AuditEntry.objects.get(action="supervision.accountability.issued")
    assert entry.after["person"] == "张某" and entry.after["requirement"] == "通报批评"
    actions.check_answer_directive(rec, actor=dept_head, answer="已落实", today=date(2025, 3, 4))
    rec.refresh_from_db()
    assert rec.status == "closed"


def test_only_the_department_may_reply(city, supervisor, clerk):
    urge = _urge(city, supervisor)
    with pytest.raises(PermissionDenied):
        actions.check_answer_directive(urge, actor=clerk, answer="越权", today=MON)


def test_a_clerk_cannot_urge(client, city, clerk):
    with pytest.raises(PermissionDenied):
        actions.check_issue_directive("urge", actor=clerk, department=city.dept("market"), message="x",
                                      reply_days=3, today=MON)
    login_staff(client, clerk)
    assert client.get("/console/supervision/directives/new/").status_code == 403
    response = client.post("/api/v1/supervision/directives", {"kind": "urge", "department": "SF-SCJG",
                                                               "message": "x", "reply_days": 3},
                           content_type="application/json")
    assert response.status_code == 403
    assert not Directive.objects.exists()


def test_urge_through_the_console_and_reply_through_the_api(client, city, supervisor, dept_head):
    case = make_case(city, title="被督办案件")
    login_staff(client, supervisor)
    response = client.post(f"/console/supervision/directives/new/?case={case.pk}",
                           {"kind": "urge", "department": "SF-SCJG", "about_case": case.pk,
                            "message": "请说明超期原因", "reply_days": 2})
    assert response.status_code == 302
    urge = Directive.objects.get()
    assert urge.about_case == case
    client.logout()
    login_staff(client, dept_head)
    response = client.post(f"/api/v1/supervision/directives/{urge.pk}/answer", {"answer": "已说明"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    again = client.post(f"/api/v1/supervision/directives/{urge.pk}/answer", {"answer": "再说明"},
                        content_type="application/json")
    assert again.status_code == 409


def test_bad_reply_days_are_refused_by_the_api(client, city, supervisor):
    login_staff(client, supervisor)
    response = client.post("/api/v1/supervision/directives", {"kind": "urge", "department": "SF-SCJG",
                                                               "message": "x", "reply_days": 0},
                           content_type="application/json")
    assert response.status_code == 400 and "答复时限" in response.json()["message"]
    assert not Directive.objects.exists()


def test_another_department_head_cannot_see_the_directive(client, city, supervisor, sub_head):
    urge = _urge(city, supervisor)
    login_staff(client, sub_head)
    assert client.get(f"/console/supervision/directives/{urge.pk}/").status_code == 404
