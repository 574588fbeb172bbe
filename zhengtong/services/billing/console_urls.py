"""Console URLs, mounted by the ``register_admin_urls`` hook under /console/billing/."""

from __future__ import annotations

from django.urls import path

from zhengtong.services.billing import console_views as views

app_name = "billing_console"
urlpatterns = [
    path("bills/", views.bills, name="bills"),
    path("bills/<str:number>/", views.bill, name="bill"),
    path("bills/<str:number>/refund/", views.refund, name="refund"),
    path("licences/", views.licences, name="licences"),
    path("licences/<int:licence_id>/", views.licence, name="licence"),
    path("licences/<int:licence_id>/revoke/", views.revoke, name="revoke"),
    path("licences/<int:licence_id>/deliver/", views.deliver, name="deliver"),
]
