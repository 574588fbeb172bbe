"""The system admin's console pages: users (list, create staff, (de)activate) and settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.core.accounts.actions import DuplicateRegistration, check_create_staff
from zhengtong.core.accounts.models import UserKind
from zhengtong.core.console import console_view, render_page
from zhengtong.core.identifiers import IdentifierError
from zhengtong.core.permissions.checks import has_perm, require
from zhengtong.core.sysadmin import queries
from zhengtong.core.sysadmin.actions import check_set_user_active
from zhengtong.core.sysadmin.forms import StaffCreateForm


def _page(request: HttpRequest, template: str, title: str, **context) -> HttpResponse:
    return render_page(request, template, title, icon="user", **context)


@console_view
def user_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "accounts.user.update")
    kind, q = request.GET.get("kind", ""), request.GET.get("q", "").strip()
    page = Paginator(queries.users(kind=kind, q=q), 50).get_page(request.GET.get("p"))
    rows = [queries.masked_row(u) for u in page]
    return _page(request, "sysadmin/user_list.html", _("用户管理"), page=page, rows=rows, kind=kind, q=q,
                 kinds=UserKind.choices, can_create=has_perm(request.user, "accounts.user.create"),
                 can_lock=has_perm(request.user, "accounts.user.lock"))


@console_view
def user_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "accounts.user.create")
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = check_create_staff(actor=request.user, username=data["username"], name=data["name"],
                                      department=data["department"], mobile=data["mobile"],
                                      password=data["password"])
        except ValidationError as exc:
            form.add_error(None if getattr(exc, "code", None) == "required" else "password", exc)
        except (DuplicateRegistration, IdentifierError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已创建工作人员 %(username)s；请安全保密管理员为其授予角色")
                             % {"username": user.username})
            return redirect("sysadmin_console:users")
    return _page(request, "sysadmin/user_form.html", _("新建工作人员"), form=form)


@console_view
@require_POST
def user_set_active(request: HttpRequest, user_id: int) -> HttpResponse:
    require(request.user, "accounts.user.lock")
    user = get_object_or_404(get_user_model(), pk=user_id)
    active = request.POST.get("active") == "1"
    try:
        check_set_user_active(actor=request.user, user=user, active=active)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, (_("已启用账号") if active else _("已停用账号")))
    return redirect("sysadmin_console:users")


@console_view
def settings_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.settings.update")
    return _page(request, "sysadmin/settings.html", _("系统设置"), rows=queries.effective_settings())
