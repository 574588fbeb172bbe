from __future__ import annotations

from django.urls import path

from zhengtong.core.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/otp/", views.otp_step, name="otp"),
    path("login/otp/enroll/", views.otp_enroll_step, name="otp_enroll"),
    path("logout/", views.logout_view, name="logout"),
    path("me/", views.me, name="me"),
    path("register/citizen/", views.register_citizen, name="register_citizen"),
    path("register/enterprise/", views.register_enterprise, name="register_enterprise"),
]
