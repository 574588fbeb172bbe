from __future__ import annotations

from django.urls import path

from zhengtong.services.applications import console_views as v

app_name = "applications_console"
urlpatterns = [
    path("", v.inbox, name="inbox"),
    path("intake/", v.intake, name="intake"),
    path("approvals/", v.approvals, name="approvals"),
    path("approvals/<int:pk>/", v.approve, name="approve"),
    path("<int:pk>/", v.detail, name="detail"),
    path("<int:pk>/accept/", v.accept, name="accept"),
    path("<int:pk>/refuse/", v.refuse, name="refuse"),
    path("<int:pk>/supplement/", v.supplement, name="supplement"),
    path("<int:pk>/special/", v.special_start, name="special_start"),
    path("<int:pk>/special/<int:step_id>/end/", v.special_end, name="special_end"),
]
