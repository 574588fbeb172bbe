from __future__ import annotations

from django.urls import path

from zhengtong.core.files import views

app_name = "files"
urlpatterns = [
    path("<int:attachment_id>/", views.download, name="download"),
]
