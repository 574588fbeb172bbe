"""Who may act: department and role scope (403), claims, two completions at once, the inbox tabs,
the console pages and the API."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from zhengtong.services.workflow import queries
from zhengtong.services.workflow.actions import (
    WorkflowError,
    claim_task,
    complete_task,
    start_process,
)
from zhengtong.services.workflow.models import TaskStatus, WorkTask
from zhengtong.testing import personas as P


def review_of(app) -> WorkTask:
    return WorkTask.objects.get(application=app, spec_name="review", status=TaskStatus.OPEN)


def test_a_clerk_of_another_department_cannot_complete(app_factory, approver, other_clerk, city):
    app = app_factory("simple")
    start_process(app, actor=approver)
    task = review_of(app)
    county_approver = P.staff("approver.county", "县审批员", city.dept("county_approval"), roles=["approver"])
    for outsider in (other_clerk, county_approver):
        with pytest.raises(PermissionDenied):
            complete_task(task, actor=outsider, outcome="approve")
    assert review_of(app).status == TaskStatus.OPEN


def test_a_claimed_task_can_be_completed_only_by_its_assignee(app_factory, approver, city):
    app = app_factory("simple")
    start_process(app, actor=approver)
    colleague = P.staff("approver.zhou", "周洁", city.dept("market"), roles=["approver"])
    task = claim_task(review_of(app), actor=approver)
    assert task.assignee == approver
    with pytest.raises(WorkflowError) as exc:
        claim_task(task, actor=colleague)
    assert exc.value.status == 409
    with pytest.raises(WorkflowError, match="已由"):
        complete_task(task, actor=colleague, outcome="approve")
    complete_task(task, actor=approver, outcome="approve")


@pytest.mark.django_db(transaction=True)
def test_two_completions_of_the_same_task_at_once_exactly_one_wins(app_factory, approver, city, decisions):
    colleague = P.staff("approver.zhou", "周洁", city.dept("market"), roles=["approver"])
    app = app_factory("simple")
    start_process(app, actor=approver)
    task = review_of(app)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def worker(user) -> None:
        try:
            barrier.wait()
            complete_task(task, actor=user, outcome="approve", comment=user.username)
            results.append("ok")
        except WorkflowError as exc:
            results.append(f"{exc.status}")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(u,)) for u in (approver, colleague)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["409", "ok"]
    assert WorkTask.objects.filter(application=app, spec_name="decide", status=TaskStatus.OPEN).count() == 1
    assert WorkTask.objects.filter(application=app, status=TaskStatus.DONE).count() == 1
    assert app.process.__class__.objects.get(pk=app.process.pk).version == 3


def test_the_inbox_tabs_follow_scope_assignee_and_due_dates(app_factory, approver, dept_head, other_clerk, city):
    colleague = P.staff("approver.zhou", "周洁", city.dept("market"), roles=["approver"])
    first, second = app_factory("simple"), app_factory("simple")
    start_process(first, actor=approver)
    start_process(second, actor=approver)
    claim_task(review_of(first), actor=colleague)
    assert [t.application for t in queries.inbox(approver, "pending")] == [second]
    assert [t.application for t in queries.inbox(colleague, "mine")] == [first]
    assert not queries.inbox(dept_head, "pending").exists()  # the review is the approver's role
    assert not queries.inbox(other_clerk, "pending").exists()
    due = review_of(second).due_date
    assert not queries.inbox(approver, "overdue", today=due).exists()
    assert queries.inbox(approver, "due_soon", today=due).count() == 1
    assert queries.inbox(approver, "overdue", today=due + timedelta(days=1)).count() == 2  # the whole scope
    assert queries.colour(review_of(second), today=due + timedelta(days=1)) == "red"
    assert queries.counts(colleague, today=due)["mine"] == 1


def test_the_console_inbox_and_task_page_work_for_the_approver(client, app_factory, approver, decisions):
    app = app_factory("simple")
    start_process(app, actor=approver)
    task = review_of(app)
    P.login_staff(client, approver)
    page = client.get("/console/workflow/?tab=pending")
    assert page.status_code == 200
    body = page.content.decode()
    assert app.number in body and "李*" in body and "李娟" not in body
    detail = client.get(f"/console/workflow/{task.pk}/")
    assert detail.status_code == 200 and "味道小馆" in detail.content.decode()
    bad = client.post(f"/console/workflow/{task.pk}/complete/", {"outcome": "reject", "comment": ""})
    assert bad.status_code == 400 and "理由" in bad.content.decode()
    done = client.post(f"/console/workflow/{task.pk}/complete/", {"outcome": "approve", "comment": "同意"})
    assert done.status_code == 302
    assert WorkTask.objects.get(pk=task.pk).status == TaskStatus.DONE
    again = client.post(f"/console/workflow/{task.pk}/complete/", {"outcome": "approve"})
    assert again.status_code == 409
    assert client.get("/tasks/").status_code == 302


def test_the_console_refuses_a_clerk_of_another_department(client, app_factory, approver, other_clerk):
    app = app_factory("simple")
    start_process(app, actor=approver)
    task = review_of(app)
    P.login_staff(client, other_clerk)
    assert client.get("/console/workflow/").status_code == 403
    assert client.get(f"/console/workflow/{task.pk}/").status_code == 403
    assert client.post(f"/console/workflow/{task.pk}/complete/", {"outcome": "approve"}).status_code == 403
    assert review_of(app).status == TaskStatus.OPEN


def test_the_api_lists_and_completes_tasks(client, app_factory, approver, other_clerk, decisions):
    app = app_factory("simple")
    start_process(app, actor=approver)
    task = review_of(app)
    P.login_staff(client, approver)
    listing = client.get("/api/v1/workflow/tasks?tab=pending").json()
    assert listing["count"] == 1 and listing["items"][0]["application"] == app.number
    assert listing["items"][0]["applicant"] == "李*"
    assert client.get("/api/v1/workflow/tasks?tab=nope").status_code == 400
    assert client.get("/api/v1/workflow/tasks/999999").status_code == 404
    bad = client.post(f"/api/v1/workflow/tasks/{task.pk}/complete", {"outcome": "meh"},
                      content_type="application/json")
    assert bad.status_code == 400 and "未知的办理意见" in bad.json()["message"]
    ok = client.post(f"/api/v1/workflow/tasks/{task.pk}/complete", {"outcome": "approve", "comment": "好"},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "done"
    again = client.post(f"/api/v1/workflow/tasks/{task.pk}/complete", {"outcome": "approve"},
                        content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "conflict"


def test_the_api_answers_403_to_another_department(client, app_factory, approver, city):
    app = app_factory("simple")
    start_process(app, actor=approver)
    county_approver = P.staff("approver.county", "县审批员", city.dept("county_approval"), roles=["approver"])
    P.login_staff(client, county_approver)
    response = client.post(f"/api/v1/workflow/tasks/{review_of(app).pk}/complete", {"outcome": "approve"},
                           content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_an_overdue_task_turns_red_in_the_timelimits_monitor(app_factory, approver):
    from zhengtong.core.timelimits.actions import refresh_statuses

    app = app_factory("simple")
    start_process(app, actor=approver)
    task = review_of(app)
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        refresh_statuses()
    task.timed_case.refresh_from_db()
    assert task.timed_case.status == "red"
