from __future__ import annotations

from django.urls import path

from zhengtong.core.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.inbox, name="inbox"),
]
