"""Console pages: the staff inbox (待办 / 我的 / 即将到期 / 已超期 / 已办) and the task page with the
application and the approve / reject / return form (/tasks/ outside the console redirects here);
流程管理 — shipped and uploaded processes, upload, view, approve; 流程配置 — the departments of
countersign steps and parallel branches per process and item."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhengtong.core.console import console_view, render_page
from zhengtong.core.permissions.checks import has_perm, require
from zhengtong.services.workflow import definitions, queries, routing
from zhengtong.services.workflow.actions import (
    WorkflowError,
    check_upload_process,
    claim_task,
    complete_task,
    do_approve_process,
    do_delete_process_config,
    do_save_process_config,
)
from zhengtong.services.workflow.forms import (
    CompleteForm,
    ConfigHeadForm,
    UploadForm,
    branch_formset,
    department_choices,
)
from zhengtong.services.workflow.models import TaskStatus, WorkTask
from zhengtong.services.workflow.registry import APPROVE, COMPLETE, MANAGE

PAGE_SIZE = 50
COLOURS = {"green": ("#1a7f37", gettext_lazy("正常")), "yellow": ("#9a6700", gettext_lazy("即将到期")),
           "red": ("#cf222e", gettext_lazy("已超期")), "done": ("#57606a", gettext_lazy("已办结"))}


def row(task: WorkTask, today) -> dict:
    app = task.application
    colour = queries.colour(task, today)
    return {"task": task, "app": app, "applicant": app.masked_applicant_name, "colour": COLOURS[colour][0],
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
        applicant_id=app.masked_id_number, applicant=app.masked_applicant_name,
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


# --- 流程管理: process definitions -----------------------------------------------------------


@console_view
def process_list(request: HttpRequest) -> HttpResponse:
    queries.require_process_reader(request.user)
    return render_page(request, "workflow/console_processes.html", _("流程管理"), icon="cogs",
                       processes=queries.process_list(), can_upload=has_perm(request.user, MANAGE),
                       can_configure=has_perm(request.user, MANAGE))


@console_view
def process_upload(request: HttpRequest) -> HttpResponse:
    require(request.user, MANAGE)
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > definitions.MAX_BPMN_BYTES:
                    raise definitions.DefinitionError(_("BPMN 文件过大（上限 512 KB）"))
                bpmn = definitions.decode_upload(upload.name, upload.read(definitions.MAX_BPMN_BYTES + 1))
                definition = check_upload_process(key=form.cleaned_data["key"], name=form.cleaned_data["name"],
                                                  bpmn=bpmn, actor=request.user)
            except definitions.DefinitionError as exc:
                form.add_error("file", str(exc))
            except WorkflowError as exc:
                form.add_error("file" if exc.code == "invalid_bpmn" else "key", exc.message)
                status = exc.status
            else:
                messages.success(request, _("已上传流程“%(name)s”（%(key)s）") % {"name": definition.name,
                                                                             "key": definition.key})
                return redirect("workflow_console:process", key=definition.key)
    return render_page(request, "workflow/console_process_upload.html", _("上传流程"), icon="upload", form=form,
                       status=status, max_kb=definitions.MAX_BPMN_BYTES // 1024)


def _process_page(request: HttpRequest, info: queries.ProcessInfo, *, error: str = "",
                  status: int = 200) -> HttpResponse:
    user, definition = request.user, info.definition
    may_approve = has_perm(user, APPROVE)
    own_upload = bool(definition and definition.uploaded_by_id == user.pk)
    items = Paginator(queries.items_using(info.key), PAGE_SIZE).get_page(request.GET.get("page"))
    configs = queries.config_list(info.key)
    return render_page(
        request, "workflow/console_process.html", _("流程：%(name)s（%(key)s）") % {"name": info.name, "key": info.key},
        icon="cogs", status=status, info=info, definition=definition, description=info.description,
        role_names=routing.task_roles(),
        bpmn=definitions.source(info.key), items=items, configs=configs, error=error,
        has_default=any(not r["config"].item_code for r in configs),
        can_approve=info.status == "pending" and may_approve and not own_upload,
        own_upload=info.status == "pending" and own_upload, may_approve=may_approve,
        can_configure=has_perm(user, MANAGE) and info.runnable and info.slot_count > 0,
        running=queries.running_count(info.key))


@console_view
def process_detail(request: HttpRequest, key: str) -> HttpResponse:
    return _process_page(request, queries.access_process(request.user, key))


@console_view
@require_POST
def process_approve(request: HttpRequest, key: str) -> HttpResponse:
    info = queries.access_process(request.user, key)
    require(request.user, APPROVE)
    if info.definition is None:
        return _process_page(request, info, error=_("内置流程随代码发布，无需批准"), status=409)
    try:
        do_approve_process(info.definition, actor=request.user, sha256=request.POST.get("sha256", ""))
    except WorkflowError as exc:
        return _process_page(request, info, error=exc.message, status=exc.status)
    messages.success(request, _("已批准流程“%(name)s”，现在可以在事项中选用") % {"name": info.name})
    return redirect("workflow_console:process", key=key)


# --- 流程配置: process configurations --------------------------------------------------------


@console_view
def config_list(request: HttpRequest) -> HttpResponse:
    require(request.user, MANAGE)
    rows = queries.config_list()
    processes = queries.configurable_processes()
    configured = {(r["config"].process_key, r["config"].item_code) for r in rows}
    usage = [{"process": p, "has_default": (p.key, "") in configured,
              "own": sum(1 for k, code in configured if k == p.key and code)} for p in processes]
    return render_page(request, "workflow/console_configs.html", _("流程配置"), icon="cogs", rows=rows,
                       usage=usage)


def _slot_rows(info: queries.ProcessInfo, formset) -> list[tuple]:
    slots = info.description.slots if info.description else []
    return [(n, steps, form) for (n, steps), form in zip(slots, formset.forms, strict=False)]


def _apply_config_errors(exc: WorkflowError, head, formset) -> None:
    errors = getattr(exc, "errors", None) or {"": exc.message}
    for key, message in errors.items():
        parts = key.split(".")
        if parts[0] == "branches" and len(parts) >= 2 and int(parts[1]) < len(formset.forms):
            form = formset.forms[int(parts[1])]
            form.add_error(parts[2] if len(parts) > 2 and parts[2] in form.fields else None, message)
        elif head is not None and key in head.fields:
            head.add_error(key, message)
        else:
            formset.non_form_errors().append(message)


def _config_page(request: HttpRequest, *, info, formset, head=None, config=None, status: int = 200,
                 items=None) -> HttpResponse:
    title = (_("编辑流程配置：%(name)s · %(item)s") % {"name": info.name, "item": config.item_code or _("默认")}
             if config else _("新建流程配置"))
    running = queries.running_count(info.key) if info else 0
    return render_page(request, "workflow/console_config_edit.html", title, icon="cogs", status=status, info=info,
                       head=head, formset=formset, slot_rows=_slot_rows(info, formset) if info else [],
                       config=config, items=items, running=running)


def _form_choices() -> dict:
    return {"departments": department_choices(), "roles": list(routing.task_roles().items())}


@console_view
def config_create(request: HttpRequest) -> HttpResponse:
    require(request.user, MANAGE)
    processes = {p.key: p for p in queries.configurable_processes()}
    posted = request.method == "POST"
    source = request.POST if posted else request.GET
    if posted:
        head = ConfigHeadForm(request.POST, processes=processes.values())
    else:
        head = ConfigHeadForm(initial={"process_key": source.get("process_key", ""),
                                       "item_code": source.get("item_code", "")}, processes=processes.values())
    info = processes.get(source.get("process_key", ""))
    if info is None:  # first choose the process: its slots make the rows
        if posted:
            head.is_valid()
        return _config_page(request, info=None, head=head, formset=None, status=400 if posted else 200)
    formset = branch_formset(info.slot_count, data=request.POST if posted else None, **_form_choices())
    items = queries.items_using(info.key)[:500]
    if posted and head.is_valid() and formset.is_valid():
        try:
            config = do_save_process_config(process_key=info.key, item_code=head.cleaned_data["item_code"],
                                            branches=formset.branches(), actor=request.user, create=True)
        except WorkflowError as exc:
            _apply_config_errors(exc, head, formset)
            return _config_page(request, info=info, head=head, formset=formset, status=exc.status, items=items)
        messages.success(request, _("已保存流程配置"))
        return redirect("workflow_console:config", pk=config.pk)
    return _config_page(request, info=info, head=head, formset=formset, items=items, status=400 if posted else 200)


@console_view
def config_edit(request: HttpRequest, pk: int) -> HttpResponse:
    config = queries.access_config_by_id(request.user, pk)
    info = queries.access_process(request.user, config.process_key)
    formset = branch_formset(info.slot_count, data=request.POST if request.method == "POST" else None,
                             initial=config.branches, **_form_choices())
    if request.method == "POST" and formset.is_valid():
        try:
            config = do_save_process_config(process_key=config.process_key, item_code=config.item_code,
                                            branches=formset.branches(), actor=request.user)
        except WorkflowError as exc:
            _apply_config_errors(exc, None, formset)
            return _config_page(request, info=info, formset=formset, config=config, status=exc.status)
        messages.success(request, _("已保存流程配置"))
        return redirect("workflow_console:config", pk=config.pk)
    return _config_page(request, info=info, formset=formset, config=config,
                        status=400 if request.method == "POST" else 200)


@console_view
@require_POST
def config_delete(request: HttpRequest, pk: int) -> HttpResponse:
    config = queries.access_config_by_id(request.user, pk)
    try:
        do_delete_process_config(config, actor=request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect("workflow_console:configs")
    messages.success(request, _("已删除流程配置：%(key)s · %(item)s")
                     % {"key": config.process_key, "item": config.item_code or _("默认")})
    return redirect("workflow_console:configs")
