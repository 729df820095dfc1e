"""specs announces each new version; reviews answers with one action (specs never imports us)."""

from django.dispatch import receiver

from reviews import actions
from specs.models import Spec
from specs.signals import version_uploaded


@receiver(version_uploaded)
def review_new_version(sender, *, spec: Spec, version, uploaded_by, **kwargs) -> None:
    actions.take_new_version(spec=spec, version=version, by=uploaded_by)
