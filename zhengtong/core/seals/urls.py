"""Public verification pages, mounted at /verify/."""

from __future__ import annotations

from django.urls import path

from zhengtong.core.seals import views

app_name = "seals"
urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("<str:code>/", views.document, name="document"),
]
