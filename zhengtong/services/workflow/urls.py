from __future__ import annotations

from django.urls import path

from zhengtong.services.workflow import views as v

app_name = "workflow"
urlpatterns = [
    path("", v.public_inbox, name="inbox"),
    path("<int:pk>/", v.public_task, name="task"),
]
