"""Console URLs of the audit admin, mounted under /console/audit/."""

from __future__ import annotations

from django.urls import path

from zhengtong.core.audit import views

app_name = "audit_console"
urlpatterns = [
    path("log/", views.log_list, name="log"),
    path("log/verify/", views.chain_verify, name="verify"),
]
