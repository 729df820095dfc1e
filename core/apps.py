from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Platform"

    def ready(self) -> None:
        from core import signals  # noqa: F401  (connects the database-outage signal)
        from core.queueing import ensure_filesystem_broker_folders

        ensure_filesystem_broker_folders()
