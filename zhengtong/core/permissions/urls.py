"""Console URLs of the security admin, mounted under /console/permissions/ by wagtail_hooks."""

from __future__ import annotations

from django.urls import path

from zhengtong.core.permissions import views

app_name = "permissions_console"
urlpatterns = [
    path("roles/", views.role_list, name="roles"),
    path("roles/new/", views.role_create, name="role_create"),
    path("roles/<int:role_id>/", views.role_edit, name="role_edit"),
    path("grants/", views.grant_list, name="grants"),
    path("grants/<int:grant_id>/revoke/", views.grant_revoke, name="grant_revoke"),
]
