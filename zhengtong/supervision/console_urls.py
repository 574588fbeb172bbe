"""Console URLs, mounted by the ``register_admin_urls`` hook under /console/supervision/."""

from __future__ import annotations

from django.urls import path

from zhengtong.supervision import views

app_name = "supervision_console"
urlpatterns = [
    path("", views.monitor, name="monitor"),
    path("directives/", views.directives, name="directives"),
    path("directives/new/", views.directive_new, name="directive_new"),
    path("directives/<int:directive_id>/", views.directive_detail, name="directive"),
    path("directives/<int:directive_id>/close/", views.directive_close, name="directive_close"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("follow-ups/<int:follow_up_id>/", views.follow_up_detail, name="follow_up"),
    path("appeals/<int:appeal_id>/decide/", views.appeal_decide, name="appeal_decide"),
    path("scorecards/", views.scorecard, name="scorecards"),
    path("scorecards/export/", views.scorecard_export, name="scorecard_export"),
    path("scorecards/store/", views.scorecard_store, name="scorecard_store"),
    path("weights/", views.weights, name="weights"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("screen/", views.screen, name="screen"),
]
