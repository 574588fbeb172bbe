"""Console URLs of the system admin, mounted under /console/sysadmin/."""

from __future__ import annotations

from django.urls import path

from zhengtong.core.sysadmin import views

app_name = "sysadmin_console"
urlpatterns = [
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:user_id>/active/", views.user_set_active, name="user_set_active"),
    path("settings/", views.settings_view, name="settings"),
]
