"""Console URLs, mounted by the ``register_admin_urls`` hook under /console/seals/."""

from __future__ import annotations

from django.urls import path

from zhengtong.core.seals import views

app_name = "seals_console"
urlpatterns = [
    path("", views.console_seals, name="index"),
    path("departments/<int:department_id>/create/", views.console_create_seal, name="create"),
    path("documents/", views.console_documents, name="documents"),
    path("documents/sign/", views.console_sign, name="sign"),
    path("documents/<int:document_id>/", views.console_document, name="document"),
    path("documents/<int:document_id>/revoke/", views.console_revoke, name="revoke"),
]
