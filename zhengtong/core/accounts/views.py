"""Login (password, then TOTP for staff), logout, registration, and the public "my account" page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, user_login_failed
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengtong.core.accounts import actions
from zhengtong.core.accounts.backends import lockout_key
from zhengtong.core.accounts.forms import (
    CitizenRegistrationForm,
    EnterpriseRegistrationForm,
    LoginForm,
    OtpForm,
    TotpEnrollForm,
)
from zhengtong.core.accounts.models import User, UserKind
from zhengtong.core.accounts.queries import masked_profile
from zhengtong.core.accounts.totp import PENDING_KEY, enrollment, pending_key
from zhengtong.core.identifiers import IdentifierError

PENDING = "zt_pending_user"
PENDING_AT = "zt_pending_at"
NEXT = "zt_login_next"
PENDING_SECONDS = 5 * 60  # the password step is good for five minutes
BACKEND = "zhengtong.core.accounts.backends.AccountBackend"


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _("登录失败次数过多，账户已锁定 %(minutes)d 分钟，请稍后再试。") % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "account_locked", "message": message}, status=429)
    return render(request, "accounts/locked.html", {"message": message}, status=429)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def _finish_login(request: HttpRequest, user: User, device: TOTPDevice | None = None) -> HttpResponse:
    next_url = request.session.pop(NEXT, None)
    for key in (PENDING, PENDING_AT, PENDING_KEY):
        request.session.pop(key, None)
    login(request, user, backend=BACKEND)  # sends user_logged_in: axes resets the failure count
    if device is not None:
        otp_login(request, device)
    actions.record_login(user, second_factor=device is not None)
    default = reverse("wagtailadmin_home") if user.kind == UserKind.STAFF else reverse("core:home")
    return redirect(next_url or default)


@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # One failure counter per account, whichever identifier (ID number, mobile) was typed.
        username = lockout_key(form.cleaned_data["username"])
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is None:
            form.add_error(None, _("账号或密码错误"))
            return render(request, "accounts/login.html", {"form": form}, status=400)
        request.session.cycle_key()
        request.session[NEXT] = _safe_next(request)
        if user.kind == UserKind.STAFF:
            request.session[PENDING] = user.pk
            request.session[PENDING_AT] = timezone.now().timestamp()
            return redirect("accounts:otp")
        return _finish_login(request, user)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request)}, status=status)


def _pending_user(request: HttpRequest) -> User | None:
    started = request.session.get(PENDING_AT) or 0
    if timezone.now().timestamp() - started > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=request.session.get(PENDING), is_active=True, kind=UserKind.STAFF).first()


def _token_matches(user: User, token: str) -> TOTPDevice | None:
    device = match_token(user, token)
    if device is None and settings.ZT_DEMO_OTP_BYPASS and not settings.PRODUCTION and token == "000000":
        device = user.totpdevice_set.filter(confirmed=True).first()
    return device


def _second_factor_failed(request: HttpRequest, user: User) -> bool:
    """Count a wrong code as a failed login; True when that locked the account."""
    credentials = {"username": user.username}
    user_login_failed.send(sender=User, credentials=credentials, request=request)
    return AxesProxyHandler.is_locked(request, credentials)


def _back_to_password_step(request: HttpRequest) -> HttpResponse:
    for key in (PENDING, PENDING_AT, PENDING_KEY):
        request.session.pop(key, None)
    messages.info(request, _("请先输入账号和密码"))
    return redirect("accounts:login")


@never_cache
@require_http_methods(["GET", "POST"])
def otp_step(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return _back_to_password_step(request)
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:otp_enroll")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if AxesProxyHandler.is_locked(request, {"username": user.username}):
            request.session.pop(PENDING, None)
            return locked_out(request)
        device = _token_matches(user, form.cleaned_data["token"])
        if device is not None:
            return _finish_login(request, user, device)
        if _second_factor_failed(request, user):
            request.session.pop(PENDING, None)
            return locked_out(request)
        form.add_error("token", _("动态口令错误或已过期"))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/otp.html", {"form": form, "pending": user}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def otp_enroll_step(request: HttpRequest) -> HttpResponse:
    """First login of a staff member without an authenticator: enroll one, then enter."""
    user = _pending_user(request)
    if user is None:
        return _back_to_password_step(request)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:otp")
    form = TotpEnrollForm(request.POST or None, needs_current=False)
    key = pending_key(request.session)
    if request.method == "POST" and form.is_valid():
        if AxesProxyHandler.is_locked(request, {"username": user.username}):
            return locked_out(request)
        try:
            device = actions.check_enroll_totp(user=user, key=key, token=form.cleaned_data["token"])
        except ValidationError as exc:
            if _second_factor_failed(request, user):
                return locked_out(request)
            form.add_error("token", exc.messages)
        else:
            return _finish_login(request, user, device)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "pending": user, "enrollment": enrollment(user, key)}
    return render(request, "accounts/otp_enroll.html", context, status=status)


@require_http_methods(["POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        actions.record_logout(request.user)
    logout(request)
    messages.info(request, _("您已安全退出"))
    return redirect("core:home")


@never_cache
@login_required
def me(request: HttpRequest) -> HttpResponse:
    """我的账户: the public user's own profile, personal numbers masked."""
    if request.user.kind == UserKind.STAFF:
        return redirect("accounts_console:totp")
    return render(request, "accounts/me.html", {"profile": masked_profile(request.user)})


def _register(request: HttpRequest, form_class: type[forms.Form], action: Callable[..., User],
              template: str) -> HttpResponse:
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "password2"}
        try:
            user = action(**data)
        except actions.DuplicateRegistration as exc:
            form.add_error(None, str(exc))
            return render(request, template, {"form": form}, status=409)
        except actions.WeakPassword as exc:
            form.add_error("password", exc.messages)
            return render(request, template, {"form": form}, status=400)
        except (ValidationError, IdentifierError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
            return render(request, template, {"form": form}, status=400)
        login(request, user, backend=BACKEND)
        messages.success(request, _("注册成功，欢迎使用%(site)s") % {"site": settings.ZT_PLATFORM_NAME})
        return redirect("accounts:me")
    return render(request, template, {"form": form}, status=400 if request.method == "POST" else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def register_citizen(request: HttpRequest) -> HttpResponse:
    return _register(request, CitizenRegistrationForm, actions.check_register_citizen,
                     "accounts/register_citizen.html")


@never_cache
@require_http_methods(["GET", "POST"])
def register_enterprise(request: HttpRequest) -> HttpResponse:
    return _register(request, EnterpriseRegistrationForm, actions.check_register_enterprise,
                     "accounts/register_enterprise.html")
