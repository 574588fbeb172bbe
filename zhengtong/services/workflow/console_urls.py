from __future__ import annotations

from django.urls import path

from zhengtong.services.workflow import views as v

app_name = "workflow_console"
urlpatterns = [
    path("", v.inbox, name="inbox"),
    path("<int:pk>/", v.task_detail, name="task"),
    path("<int:pk>/claim/", v.claim, name="claim"),
    path("<int:pk>/complete/", v.complete, name="complete"),
]
