from __future__ import annotations

from django.urls import path

from zhengtong.services.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    path("items/<str:code>/", views.item_guide, name="item"),
    path("bundles/<slug:code>/", views.bundle_guide, name="bundle"),
    path("topics/", views.life_events, name="life_events"),
]
