from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Platform"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from core import signals  # noqa: F401  (connects the database-outage signal)
        from core.dbroles import grant_after_migrate

        # Once per migrate, after every app's migrations (the sender filter makes it once).
        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="grant_app_role")
        from core.queueing import ensure_filesystem_broker_folders

        ensure_filesystem_broker_folders()
