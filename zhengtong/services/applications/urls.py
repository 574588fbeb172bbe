from __future__ import annotations

from django.urls import path

from zhengtong.services.applications import views

app_name = "applications"
urlpatterns = [
    path("new/<str:code>/", views.new, name="new"),
    path("bundle/<slug:code>/", views.bundle, name="bundle"),
    path("mine/", views.mine, name="mine"),
    path("case/<str:number>/", views.detail, name="detail"),
    path("case/<str:number>/withdraw/", views.withdraw, name="withdraw"),
    path("case/<str:number>/delivery/", views.delivery, name="delivery"),
    path("case/<str:number>/supplement/<int:sequence>/", views.supplement, name="supplement"),
]
