"""Staff pages inside the console frame: citizen lookup (masked, reveal audited) and the
staff member's own TOTP device."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengtong.core.accounts import actions
from zhengtong.core.accounts.forms import RevealForm, TotpEnrollForm
from zhengtong.core.accounts.models import CitizenProfile, User, UserKind
from zhengtong.core.accounts.queries import citizens_for_lookup
from zhengtong.core.accounts.totp import PENDING_KEY, enrollment, pending_key
from zhengtong.core.console import console_view
from zhengtong.core.permissions.checks import require

PAGE_SIZE = 50


def access_citizen_by_id(user: User, profile_id: int) -> CitizenProfile:
    """The citizen profile, if ``user`` may look citizens up (404 / 403)."""
    require(user, "accounts.person.read")
    return get_object_or_404(CitizenProfile.objects.select_related("user"), pk=profile_id)


@never_cache
@console_view
def citizen_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "accounts.person.read")
    q = request.GET.get("q", "").strip()
    page = Paginator(citizens_for_lookup(q), PAGE_SIZE).get_page(request.GET.get("p"))
    return render(request, "accounts/console/citizens.html",
                  {"page_title": _("自然人查询"), "header_icon": "user", "page": page, "q": q,
                   "reveal_form": RevealForm()})


@never_cache
@console_view
@require_POST
def citizen_reveal(request: HttpRequest, profile_id: int) -> HttpResponse:
    """查看完整信息: POST only, so an unmasked page is never a link, a prefetch or a history entry."""
    profile = access_citizen_by_id(request.user, profile_id)
    form = RevealForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    actions.do_reveal_person(actor=request.user, profile=profile, reason=reason)
    # never_cache adds no-store: the unmasked page is kept by no cache and no back button.
    return render(request, "accounts/console/citizen_detail.html",
                  {"page_title": _("自然人完整信息"), "header_icon": "user", "profile": profile})


@never_cache
@console_view
@require_http_methods(["GET", "POST"])
def totp_device(request: HttpRequest) -> HttpResponse:
    """Enroll or replace the staff member's own authenticator (replacing needs the current code)."""
    user = request.user
    if getattr(user, "kind", "") != UserKind.STAFF:
        raise PermissionDenied
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    form = TotpEnrollForm(request.POST or None, needs_current=has_device)
    key = pending_key(request.session, fresh=request.method == "GET")
    if request.method == "POST" and form.is_valid():
        try:
            device = actions.check_enroll_totp(user=user, key=key, token=form.cleaned_data["token"],
                                      current_token=form.cleaned_data.get("current_token", ""))
        except ValidationError as exc:
            field = "current_token" if exc.code == "bad_current_token" else "token"
            form.add_error(field, exc.messages)
        else:
            request.session.pop(PENDING_KEY, None)
            otp_login(request, device)  # keep this session verified: its old device is gone
            messages.success(request, _("动态口令令牌已更新，请使用新令牌登录"))
            return redirect("accounts_console:totp")
    context = {"page_title": _("动态口令令牌"), "header_icon": "key", "form": form,
               "has_device": has_device, "enrollment": enrollment(user, key)}
    return render(request, "accounts/console/totp.html", context, status=400 if form.errors else 200)
