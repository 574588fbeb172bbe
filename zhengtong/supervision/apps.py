from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhengtong.supervision"
    label = "supervision"
    verbose_name = "电子监察"

    def ready(self) -> None:
        from zhengtong.core.timelimits.signals import case_finished
        from zhengtong.supervision import handlers, registry

        registry.register_all()
        case_finished.connect(handlers.on_case_finished, dispatch_uid="supervision.case_finished")
