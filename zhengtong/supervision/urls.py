"""Public pages of e-supervision, mounted at /supervision/."""

from __future__ import annotations

from django.urls import path

from zhengtong.supervision import public_views

app_name = "supervision"
urlpatterns = [
    path("rate/<int:case_id>/", public_views.rate, name="rate"),
]
