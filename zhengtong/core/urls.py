from __future__ import annotations

from django.urls import path

from zhengtong.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("elderly/", views.toggle_elderly, name="elderly"),
]
