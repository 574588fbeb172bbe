from __future__ import annotations

from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "zhengtong.core.files"
    label = "files"
    verbose_name = "附件"
