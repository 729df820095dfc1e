"""RACI assignments: seeded from the document, edited in the app, updated from a new table."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.audit import record_event
from reviews import raci
from reviews.models import RaciAssignment
from reviews.rules.vocabulary import AuditVerb
from specs.models import Spec, SpecVersion

from ._common import ReviewError, StaleForm, bump_row_version, lock_spec

AUTHOR_CANNOT_HOLD = "The author cannot review their own spec: assign someone else as R, A or C."


def _refused_row(match: raci.RaciMatch) -> str:
    return f"{match.area} {match.role} {match.user}: {raci.AUTHOR_CANNOT_REVIEW}"


@transaction.atomic
def seed_raci_from_version(*, spec: Spec, version: SpecVersion, by) -> int:
    """First RACI of a spec, from its own table; names that match no account are kept as such."""
    locked = lock_spec(spec)
    if RaciAssignment.objects.filter(spec=locked).exists():
        return 0
    matches, refused = raci.split_author_rows(raci.match_version_raci(version), locked.author_id)
    now = timezone.now()
    RaciAssignment.objects.bulk_create(
        RaciAssignment(
            spec=locked,
            area=m.area,
            role=m.role,
            user=m.user,
            unmatched_name=m.unmatched,
            from_version=version.number,
            created_at=now,
        )
        for m in matches
    )
    raci.grant_raci_permissions(locked)
    record_event(
        AuditVerb.RACI_SEEDED,
        actor=by,
        spec_id=locked.pk,
        version_number=version.number,
        data={
            "assignments": len(matches),
            "unmatched": [m.unmatched for m in matches if m.unmatched],
            "not_applied": [_refused_row(m) for m in refused],
        },
        at=now,
    )
    return len(matches)


@transaction.atomic
def assign_raci(
    *, spec: Spec, area: str, role: str, user, by, expected_row_version: int
) -> RaciAssignment:
    locked = lock_spec(spec, expected_row_version=expected_row_version)
    area = " ".join(area.split())
    if not area:
        raise ReviewError("Name the area (e.g. Security/Privacy).")
    if raci.author_holds_reviewing_role(locked.author_id, role, user.pk):
        raise ReviewError(AUTHOR_CANNOT_HOLD)
    if RaciAssignment.objects.filter(spec=locked, area=area, role=role, user=user).exists():
        raise ReviewError(f"{user.display_name} already holds that role in {area}.")
    assignment = RaciAssignment.objects.create(
        spec=locked, area=area, role=role, user=user, created_at=timezone.now()
    )
    raci.grant_raci_permissions(locked)
    bump_row_version(locked)
    record_event(
        AuditVerb.RACI_ASSIGNED,
        actor=by,
        spec_id=locked.pk,
        target=f"raci:{assignment.pk}",
        data={"area": area, "role": role, "user": user.username},
    )
    return assignment


@transaction.atomic
def unassign_raci(*, spec: Spec, assignment_id: int, by, expected_row_version: int) -> None:
    locked = lock_spec(spec, expected_row_version=expected_row_version)
    assignment = RaciAssignment.objects.filter(spec=locked, pk=assignment_id).first()
    if assignment is None:
        raise StaleForm("That assignment was already removed.")
    data = {
        "area": assignment.area,
        "role": assignment.role,
        "user": assignment.user.username if assignment.user else assignment.unmatched_name,
    }
    assignment.delete()
    raci.grant_raci_permissions(locked)
    bump_row_version(locked)
    record_event(
        AuditVerb.RACI_UNASSIGNED,
        actor=by,
        spec_id=locked.pk,
        target=f"raci:{assignment_id}",
        data=data,
    )


@transaction.atomic
def apply_raci_proposal(*, spec: Spec, by, expected_row_version: int) -> tuple[int, int]:
    """Make the app's RACI match the current version's table: (added, removed)."""
    locked = lock_spec(spec, expected_row_version=expected_row_version)
    version = locked.current_version
    assert version is not None
    assignments = tuple(RaciAssignment.objects.filter(spec=locked).select_related("user"))
    proposal = raci.propose_from_raci_rows(
        version.structures.get("raci", []), assignments, author_id=locked.author_id
    )
    if proposal.empty:
        raise StaleForm("The RACI already matches this version's table.")
    now = timezone.now()
    RaciAssignment.objects.filter(pk__in=[a.pk for a in proposal.removed]).delete()
    RaciAssignment.objects.bulk_create(
        RaciAssignment(
            spec=locked,
            area=m.area,
            role=m.role,
            user=m.user,
            unmatched_name=m.unmatched,
            from_version=version.number,
            created_at=now,
        )
        for m in proposal.added
    )
    raci.grant_raci_permissions(locked)
    bump_row_version(locked)
    record_event(
        AuditVerb.RACI_UPDATED,
        actor=by,
        spec_id=locked.pk,
        version_number=version.number,
        data={
            "added": [f"{m.area} {m.role} {m.user or m.unmatched}" for m in proposal.added],
            "removed": [str(a) for a in proposal.removed],
            "not_applied": [_refused_row(m) for m in proposal.refused],
        },
        at=now,
    )
    return len(proposal.added), len(proposal.removed)
