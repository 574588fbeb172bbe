from __future__ import annotations

from django.urls import path

from zhengtong.core.timelimits import views

app_name = "timelimits_console"
urlpatterns = [
    path("", views.monitor, name="monitor"),
]
