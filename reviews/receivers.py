"""What a new version means for its review: RACI seeding and the workflow's "new version" step."""

from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from core.audit import record_event
from reviews import actions, notices
from reviews.models import RaciAssignment
from reviews.rules import workflow
from specs.models import Spec
from specs.signals import version_uploaded


@receiver(version_uploaded)
def review_new_version(sender, *, spec: Spec, version, uploaded_by, **kwargs) -> None:
    if not RaciAssignment.objects.filter(spec=spec).exists():
        actions.seed_raci_from_version(spec=spec, version=version, by=uploaded_by)
    if version.number > 1:
        notices.version_uploaded(spec, version_number=version.number, by=uploaded_by)
    target = workflow.TRANSITIONS["new_version"].get(workflow.State(spec.state))
    if version.number == 1 or target is None or target == spec.state:
        return
    # Sign-offs and gate ticks belong to a version, so they go stale by themselves.
    Spec.objects.filter(pk=spec.pk).update(state=target, row_version=F("row_version") + 1)
    record_event(
        "spec.new_version",
        actor=uploaded_by,
        spec_id=spec.pk,
        version_number=version.number,
        data={"from": spec.state, "to": str(target)},
        at=timezone.now(),
    )
