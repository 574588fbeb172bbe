"""Console page 后台任务: the schedule, recent runs and the task queue."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from zhengtong.core.jobs import queries
from zhengtong.core.permissions.checks import require


def console_index(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.settings.update")
    return render(request, "jobs/console_index.html", {
        "page_title": _("后台任务"), "header_icon": "cogs",
        "rows": queries.schedule_rows(), "runs": queries.recent_runs(),
        "results": queries.recent_task_results(),
    })
