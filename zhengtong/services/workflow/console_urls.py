from __future__ import annotations

from django.urls import path

from zhengtong.services.workflow import views as v

app_name = "workflow_console"
urlpatterns = [
    path("", v.inbox, name="inbox"),
    path("<int:pk>/", v.task_detail, name="task"),
    path("<int:pk>/claim/", v.claim, name="claim"),
    path("<int:pk>/complete/", v.complete, name="complete"),
    path("processes/", v.process_list, name="processes"),
    path("processes/upload/", v.process_upload, name="process_upload"),
    path("processes/<slug:key>/", v.process_detail, name="process"),
    path("processes/<slug:key>/approve/", v.process_approve, name="process_approve"),
    path("configs/", v.config_list, name="configs"),
    path("configs/new/", v.config_create, name="config_create"),
    path("configs/<int:pk>/", v.config_edit, name="config"),
    path("configs/<int:pk>/delete/", v.config_delete, name="config_delete"),
]
