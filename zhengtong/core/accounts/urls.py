from __future__ import annotations

from django.urls import path

from zhengtong.core.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/otp/", views.otp_step, name="otp"),
    path("logout/", views.logout_view, name="logout"),
    path("register/citizen/", views.register_citizen, name="register_citizen"),
    path("register/enterprise/", views.register_enterprise, name="register_enterprise"),
]
