from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_builtin_profiles(sender, **kwargs) -> None:
    from specs.profiles import ensure_builtin_profiles

    ensure_builtin_profiles()


class SpecsConfig(AppConfig):
    name = "specs"

    def ready(self) -> None:
        post_migrate.connect(_ensure_builtin_profiles, sender=self)
