"""Webhook events come from the audit trail and the lint results, inside their transaction.

Every step that webhooks announce already writes an audit event in the action's transaction;
listening to those rows means no action needs to know webhooks exist.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from core.models import AuditEvent
from specs.models import SpecVersion
from webhooks.actions import enqueue_event
from webhooks.models import Event

_STATE_VERBS = {
    "spec.submit",
    "spec.approve",
    "spec.reject",
    "spec.withdraw",
    "spec.request_changes",
    "spec.new_version",
}


@receiver(post_save, sender=AuditEvent, dispatch_uid="webhooks-from-audit")
def audit_event_to_webhook(sender, instance: AuditEvent, created: bool, **kwargs) -> None:
    if not created or instance.spec_id is None:
        return
    if instance.verb == "version.uploaded":
        event = Event.VERSION_UPLOADED
    elif instance.verb == "signoff.recorded":
        event = Event.SIGNOFF_RECORDED
    elif instance.verb in _STATE_VERBS:
        event = Event.STATE_CHANGED
    else:
        return
    data = {"verb": instance.verb, **instance.data}
    enqueue_event(event, spec_id=instance.spec_id, version=instance.version_number, data=data)


@receiver(post_save, sender=SpecVersion, dispatch_uid="webhooks-lint-finished")
def lint_finished(sender, instance: SpecVersion, created: bool, update_fields=None, **kwargs):
    if instance.lint_findings is None:
        return
    if not created and "lint_findings" not in (update_fields or ()):
        return
    enqueue_event(
        Event.LINT_FINISHED,
        spec_id=instance.spec_id,
        version=instance.number,
        data={
            "profile": instance.lint_profile,
            "errors": instance.lint_errors,
            "warnings": instance.lint_warnings,
            "infos": instance.lint_infos,
        },
    )
