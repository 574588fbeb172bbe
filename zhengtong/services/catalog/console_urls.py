from __future__ import annotations

from django.urls import path

from zhengtong.services.catalog import console

app_name = "catalog_console"
urlpatterns = [
    path("", console.item_list, name="list"),
    path("new/", console.item_create, name="create"),
    path("export/", console.export_items, name="export"),
    path("import/", console.import_items, name="import"),
    path("items/<str:code>/", console.item_detail, name="item"),
    path("items/<str:code>/new-version/", console.version_new, name="new_version"),
    path("items/<str:code>/v<int:number>/edit/", console.version_edit, name="edit"),
    path("items/<str:code>/v<int:number>/publish/", console.version_publish, name="publish"),
    path("items/<str:code>/v<int:number>/discard/", console.version_discard, name="discard"),
    path("topics/", console.topic_list, name="topics"),
    path("topics/new/", console.topic_create, name="topic_create"),
    path("topics/<str:code>/", console.topic_edit, name="topic"),
    path("topics/<str:code>/delete/", console.topic_delete, name="topic_delete"),
    path("bundles/", console.bundle_list, name="bundles"),
    path("bundles/new/", console.bundle_create, name="bundle_create"),
    path("bundles/<str:code>/", console.bundle_detail, name="bundle"),
    path("bundles/<str:code>/publish/", console.bundle_publish, name="bundle_publish"),
    path("bundles/<str:code>/unpublish/", console.bundle_unpublish, name="bundle_unpublish"),
]
