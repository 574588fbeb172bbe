from __future__ import annotations

from django.urls import path

from zhengtong.core.jobs import views

app_name = "jobs_console"
urlpatterns = [
    path("", views.console_index, name="index"),
]
