"""Console URLs, mounted by the ``register_admin_urls`` hook under /console/inbox/."""

from __future__ import annotations

from django.urls import path

from zhengtong.core.notify import views

app_name = "notify_console"
urlpatterns = [
    path("", views.console_inbox, name="inbox"),
]
