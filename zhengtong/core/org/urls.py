"""Console URLs of the org console, mounted under /console/org/."""

from __future__ import annotations

from django.urls import path

from zhengtong.core.org import views

app_name = "org_console"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("departments/new/", views.department_create, name="department_create"),
    path("regions/import/", views.region_import, name="region_import"),
]
