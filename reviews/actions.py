"""Writes that matter for reviews; each is one transaction that locks the spec row and audits."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.audit import record_event
from reviews.models import LintOverride
from specs.models import Spec, SpecVersion

MIN_OVERRIDE_REASON_WORDS = 4


class ReviewError(ValueError):
    """An action refused for a reason the person can act on (shown to them as is)."""


@transaction.atomic
def record_lint_override(*, version: SpecVersion, by, reason: str) -> LintOverride:
    Spec.objects.select_for_update().get(pk=version.spec_id)
    reason = " ".join(reason.split())
    if len(reason.split()) < MIN_OVERRIDE_REASON_WORDS:
        raise ReviewError("Say why these lint errors should not block review (a sentence, please).")
    if not version.lint_errors:
        raise ReviewError(f"Version {version.number} has no lint errors to override.")
    if LintOverride.objects.filter(version=version).exists():
        raise ReviewError(f"Version {version.number} already has an override.")
    now = timezone.now()
    override = LintOverride.objects.create(
        version=version,
        reason=reason,
        recorded_by=by,
        recorded_at=now,
        errors_at_override=version.lint_errors,
    )
    record_event(
        "lint.overridden",
        actor=by,
        spec_id=version.spec_id,
        version_number=version.number,
        target=f"lint_override:{override.pk}",
        data={"reason": reason, "errors": version.lint_errors},
        at=now,
    )
    return override
