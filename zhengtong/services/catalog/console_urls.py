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
]
