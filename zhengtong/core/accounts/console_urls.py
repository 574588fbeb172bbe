"""Console (Wagtail admin frame) URLs of accounts, mounted by wagtail_hooks under /console/accounts/."""

from __future__ import annotations

from django.urls import path

from zhengtong.core.accounts import console_views

app_name = "accounts_console"
urlpatterns = [
    path("citizens/", console_views.citizen_list, name="citizens"),
    path("citizens/<int:profile_id>/reveal/", console_views.citizen_reveal, name="citizen_reveal"),
    path("totp/", console_views.totp_device, name="totp"),
]
