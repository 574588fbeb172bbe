from __future__ import annotations

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from zhengtong.api import api
from zhengtong.core import views as core_views

urlpatterns = [
    # browsers and crawlers ask for /favicon.ico whatever the page declares
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("core/favicon.svg"))),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", core_views.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("accounts/", include("zhengtong.core.accounts.urls")),
    path("console/", include("zhengtong.core.console_urls")),
    path("console/", include(wagtailadmin_urls)),
    path("verify/", include("zhengtong.core.seals.urls")),
    path("files/", include("zhengtong.core.files.urls")),
    path("inbox/", include("zhengtong.core.notify.urls")),
    path("services/", include("zhengtong.services.catalog.urls")),
    path("apply/", include("zhengtong.services.applications.urls")),
    path("tasks/", include("zhengtong.services.workflow.urls")),
    path("pay/", include("zhengtong.services.billing.urls")),
    path("supervision/", include("zhengtong.supervision.urls")),
    path("", include("zhengtong.core.urls")),
    path("pages/", include(wagtail_urls)),
]

if settings.DEBUG and not settings.ZT_S3_BUCKET:
    urlpatterns.insert(0, path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
