"""What every review action shares: its errors, and locking the spec against a stale form."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from reviews.snapshot import ReviewState, load_review
from specs.models import Spec


class ReviewError(ValueError):
    """An action refused for reasons the person can act on (shown to them as they are)."""

    def __init__(self, *reasons: str) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class StaleForm(ReviewError):
    """The page was built from state that has changed since: nothing was written."""


def lock_spec(spec: Spec, *, expected_row_version: int | None = None) -> Spec:
    """The spec, locked for this transaction; stale if it changed since the form was built."""
    locked = Spec.objects.select_for_update(of=("self",)).with_current_version().get(pk=spec.pk)
    if expected_row_version is not None and locked.row_version != expected_row_version:
        raise StaleForm("Someone changed this spec since the page was loaded.")
    return locked


def locked_review(spec: Spec, *, expected_version: int | None = None) -> ReviewState:
    locked = lock_spec(spec)
    current = locked.current_version
    assert current is not None, "every spec is created with its first version"
    if expected_version is not None and current.number != expected_version:
        raise StaleForm(f"The spec moved on to v{current.number} since this page was loaded.")
    return load_review(locked)


def bump_row_version(spec: Spec) -> None:
    Spec.objects.filter(pk=spec.pk).update(
        row_version=F("row_version") + 1, updated_at=timezone.now()
    )
