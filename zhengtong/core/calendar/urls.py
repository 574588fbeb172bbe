from __future__ import annotations

from django.urls import path

from zhengtong.core.calendar import views

app_name = "calendar_console"
urlpatterns = [
    path("", views.index, name="index"),
    path("overrides/add/", views.add_override, name="add_override"),
    path("overrides/<int:pk>/delete/", views.delete_override, name="delete_override"),
    path("years/<int:year>/official/", views.mark_official, name="mark_official"),
]
