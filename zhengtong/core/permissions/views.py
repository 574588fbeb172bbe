"""The security admin's console pages (安全保密管理员): roles and grants."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.core.console import console_view, render_page
from zhengtong.core.permissions import queries
from zhengtong.core.permissions.actions import (
    GrantRefused,
    check_create_role,
    check_grant_role,
    check_update_role,
    do_revoke_grant,
)
from zhengtong.core.permissions.checks import require
from zhengtong.core.permissions.forms import GrantForm, RoleForm
from zhengtong.core.permissions.models import Grant, Role


def _page(request: HttpRequest, template: str, title: str, **context) -> HttpResponse:
    return render_page(request, template, title, icon="key", **context)


@console_view
def role_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "permissions.role.manage")
    rows = [(role, queries.action_labels(role)) for role in queries.roles()]
    return _page(request, "permissions/role_list.html", _("角色管理"), rows=rows)


@console_view
def role_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "permissions.role.manage")
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role = check_create_role(actor=request.user, **form.cleaned_data)
        except GrantRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已创建角色“%(name)s”") % {"name": role.display_name})
            return redirect("permissions_console:roles")
    return _page(request, "permissions/role_form.html", _("新建角色"), form=form)


@console_view
def role_edit(request: HttpRequest, role_id: int) -> HttpResponse:
    require(request.user, "permissions.role.manage")
    role = get_object_or_404(Role, pk=role_id)
    if role.is_builtin:
        return _page(request, "permissions/role_detail.html", role.display_name, role=role,
                     labels=queries.action_labels(role))
    initial = {"code": role.code, "name": role.name, "description": role.description,
               "admin_group": role.admin_group, "actions": role.actions}
    form = RoleForm(request.POST or None, initial=initial, role=role)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check_update_role(actor=request.user, role=role, name=data["name"], actions=data["actions"],
                              description=data["description"])
        except GrantRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存角色“%(name)s”") % {"name": data["name"]})
            return redirect("permissions_console:roles")
    return _page(request, "permissions/role_form.html", _("编辑角色“%(name)s”") % {"name": role.display_name},
                 form=form, role=role)


@console_view
def grant_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "permissions.grant")
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = check_grant_role(actor=request.user, **form.cleaned_data)
        except GrantRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已授予：%(grant)s") % {"grant": grant})
            return redirect("permissions_console:grants")
    q = request.GET.get("q", "").strip()
    page = Paginator(queries.active_grants(q=q), 50).get_page(request.GET.get("p"))
    return _page(request, "permissions/grant_list.html", _("授权管理"), form=form, page=page, q=q)


@console_view
@require_POST
def grant_revoke(request: HttpRequest, grant_id: int) -> HttpResponse:
    require(request.user, "permissions.grant")
    grant = get_object_or_404(Grant.objects.select_related("user", "role"), pk=grant_id)
    try:
        do_revoke_grant(actor=request.user, grant=grant)
    except GrantRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已收回：%(grant)s") % {"grant": grant})
    return redirect("permissions_console:grants")
