"""Public billing and licence pages, mounted at /pay/."""

from __future__ import annotations

from django.urls import path

from zhengtong.services.billing import views

app_name = "billing"
urlpatterns = [
    path("bills/", views.my_bills, name="my_bills"),
    path("bills/<str:number>/", views.bill, name="bill"),
    path("bills/<str:number>/pay/", views.pay, name="pay"),
    path("cashier/<str:ref>/", views.cashier, name="cashier"),
    path("callback/<str:gateway>/", views.callback, name="callback"),
    path("refund-callback/<str:gateway>/", views.refund_callback, name="refund_callback"),
    path("licences/", views.my_licences, name="my_licences"),
    path("licences/<str:number>/", views.licence, name="licence"),
    path("licences/<str:number>/download/", views.download, name="download"),
    path("licences/<str:number>/verify/", views.licence_verify, name="licence_verify"),
]
