"""Console pages: the staff inbox (待办 / 我的 / 即将到期 / 已超期 / 已办) and the task page with the
application and the approve / reject / return form. /tasks/ outside the console redirects here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from zhengtong.core.identifiers import mask_name
from zhengtong.core.permissions.checks import require
from zhengtong.core.permissions.console import console_view, render_page
from zhengtong.services.workflow import queries
from zhengtong.services.workflow.actions import WorkflowError, claim_task, complete_task
from zhengtong.services.workflow.forms import CompleteForm
from zhengtong.services.workflow.models import TaskStatus, WorkTask
from zhengtong.services.workflow.registry import COMPLETE

PAGE_SIZE = 50
COLOURS = {"green": ("#1a7f37", _lazy("正常")), "yellow": ("#9a6700", _lazy("即将到期")),
           "red": ("#cf222e", _lazy("已超期")), "done": ("#57606a", _lazy("已办结"))}


def row(task: WorkTask, today) -> dict:
    app = task.application
    colour = queries.colour(task, today)
    return {"task": task, "app": app, "applicant": mask_name(app.applicant_name), "colour": COLOURS[colour][0],
            "colour_label": COLOURS[colour][1], "item": app.item_version.name}


@console_view
def inbox(request: HttpRequest) -> HttpResponse:
    require(request.user, COMPLETE)
    tab = request.GET.get("tab", "pending")
    tab = tab if tab in queries.TABS else "pending"
    today = timezone.localdate()
    page = Paginator(queries.inbox(request.user, tab, today), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = queries.counts(request.user, today)
    tabs = [(code, label, counts.get(code)) for code, label in queries.TABS.items()]
    return render_page(request, "workflow/console_inbox.html", _("审批待办"), icon="tasks", page=page,
                       rows=[row(t, today) for t in page], tabs=tabs, tab=tab)


def _task_page(request: HttpRequest, task: WorkTask, *, form: CompleteForm | None = None, error: str = "",
               status: int = 200) -> HttpResponse:
    app = task.application
    eligible = queries.is_eligible(request.user, task)
    return render_page(
        request, "workflow/console_task.html", _("%(task)s · 办件 %(number)s") % {"task": task.label,
                                                                                "number": app.number},
        icon="tasks", status=status, task=task, app=app, row=row(task, timezone.localdate()),
        applicant_id=app.masked_id_number, applicant=mask_name(app.applicant_name),
        materials=app.materials.select_related("attachment"), events=app.events.select_related("actor"),
        history=queries.history(app), error=error, can_act=eligible and task.status == TaskStatus.OPEN,
        can_claim=eligible and task.status == TaskStatus.OPEN and task.assignee_id is None,
        form=form or CompleteForm(decision=task.decision))


@console_view
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_page(request, queries.access_task_by_id(request.user, pk))


@console_view
@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    task = queries.access_task_by_id(request.user, pk)
    try:
        claim_task(task, actor=request.user)
    except WorkflowError as exc:
        return _task_page(request, task, error=exc.message, status=exc.status)
    messages.success(request, _("已认领“%(task)s”") % {"task": task.label})
    return redirect("workflow_console:task", pk=task.pk)


@console_view
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    task = queries.access_task_by_id(request.user, pk)
    form = CompleteForm(request.POST, decision=task.decision)
    if not form.is_valid():
        return _task_page(request, task, form=form, status=400)
    try:
        complete_task(task, actor=request.user, outcome=form.cleaned_data["outcome"],
                      comment=form.cleaned_data["comment"])
    except WorkflowError as exc:
        return _task_page(request, task, form=form, error=exc.message, status=exc.status)
    messages.success(request, _("“%(task)s”已办理") % {"task": task.label})
    return redirect("workflow_console:inbox")


@login_required
def public_inbox(request: HttpRequest) -> HttpResponse:
    """/tasks/: staff bookmarks land in the console inbox."""
    return redirect("workflow_console:inbox")


@login_required
def public_task(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect("workflow_console:task", pk=pk)
