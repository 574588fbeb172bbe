"""Login (password, then TOTP for staff), logout, registration of citizens and enterprises."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, user_logged_in, user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token

from zhengtong.core.accounts import actions
from zhengtong.core.accounts.forms import CitizenRegistrationForm, EnterpriseRegistrationForm, LoginForm, OtpForm
from zhengtong.core.accounts.models import User, UserKind
from zhengtong.core.identifiers import IdentifierError

PENDING = "zt_pending_user"
NEXT = "zt_login_next"


def locked_out(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _("登录失败次数过多，账户已锁定 %(minutes)d 分钟，请稍后再试。") % {"minutes": minutes}
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"code": "account_locked", "message": message}, status=429)
    return render(request, "accounts/locked.html", {"message": message}, status=429)


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _finish_login(request: HttpRequest, user: User, device=None) -> HttpResponse:
    next_url = request.session.pop(NEXT, None)
    request.session.pop(PENDING, None)
    login(request, user, backend="zhengtong.core.accounts.backends.AccountBackend")
    if device is not None:
        otp_login(request, device)
    actions.record_login(user, second_factor=device is not None)
    default = reverse("wagtailadmin_home") if user.kind == UserKind.STAFF else reverse("core:home")
    return redirect(next_url or default)


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is None:
            form.add_error(None, _("账号或密码错误"))
            return render(request, "accounts/login.html", {"form": form}, status=400)
        request.session.cycle_key()
        request.session[NEXT] = _safe_next(request, "")
        if user.kind == UserKind.STAFF:
            request.session[PENDING] = user.pk
            return redirect("accounts:otp")
        return _finish_login(request, user)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}, status=status)


def _token_matches(user: User, token: str):
    device = match_token(user, token)
    if device is None and settings.ZT_DEMO_OTP_BYPASS and not settings.PRODUCTION and token == "000000":
        device = user.totpdevice_set.filter(confirmed=True).first()
    return device


@require_http_methods(["GET", "POST"])
def otp_step(request: HttpRequest) -> HttpResponse:
    user = User.objects.filter(pk=request.session.get(PENDING), is_active=True).first()
    if user is None:
        messages.info(request, _("请先输入账号和密码"))
        return redirect("accounts:login")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from axes.handlers.proxy import AxesProxyHandler

        credentials = {"username": user.username}
        if AxesProxyHandler.is_locked(request, credentials):
            request.session.pop(PENDING, None)
            return locked_out(request)
        device = _token_matches(user, form.cleaned_data["token"])
        if device is not None:
            user_logged_in.send(sender=User, request=request, user=user)  # axes resets the failure count
            return _finish_login(request, user, device)
        user_login_failed.send(sender=User, credentials=credentials, request=request)
        if AxesProxyHandler.is_locked(request, credentials):
            request.session.pop(PENDING, None)
            return locked_out(request)
        form.add_error("token", _("动态口令错误或已过期"))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/otp.html", {"form": form, "pending": user}, status=status)


@require_http_methods(["POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("您已安全退出"))
    return redirect("core:home")


def _register(request: HttpRequest, form_class, action, template: str) -> HttpResponse:
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "password2"}
        try:
            user = action(**data)
        except actions.DuplicateRegistration as exc:
            form.add_error(None, str(exc))
            return render(request, template, {"form": form}, status=409)
        except (ValidationError, IdentifierError) as exc:
            form.add_error("password" if isinstance(exc, ValidationError) else None,
                           exc.messages if isinstance(exc, ValidationError) else str(exc))
            return render(request, template, {"form": form}, status=400)
        login(request, user, backend="zhengtong.core.accounts.backends.AccountBackend")
        messages.success(request, _("注册成功，欢迎使用%(site)s") % {"site": settings.ZT_PLATFORM_NAME})
        return redirect("core:home")
    return render(request, template, {"form": form}, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def register_citizen(request: HttpRequest) -> HttpResponse:
    return _register(request, CitizenRegistrationForm, actions.check_register_citizen, "accounts/register_citizen.html")


@require_http_methods(["GET", "POST"])
def register_enterprise(request: HttpRequest) -> HttpResponse:
    return _register(request, EnterpriseRegistrationForm, actions.check_register_enterprise,
                     "accounts/register_enterprise.html")
