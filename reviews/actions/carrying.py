"""Carrying review work to a new version: sign-offs and gate ticks whose sections it left alone,
and vetoes, which stay in force until their author withdraws them or signs again."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from core.audit import record_event
from reviews.models import AreaSections, GateCheck, SignOff
from reviews.rules import staleness
from reviews.rules.vocabulary import AuditVerb, Verdict
from specs.diffing.fingerprints import normalised_title
from specs.models import Spec, SpecVersion
from specs.review_policy import review_policy

from ._common import ReviewError, StaleForm, bump_row_version, lock_spec


def area_sections(spec: Spec) -> dict[str, tuple[str, ...] | None]:
    """Each area's section keys on this spec: the author's adjustment, else the profile's."""
    policy = review_policy(spec.profile)
    scopes: dict[str, tuple[str, ...] | None] = dict(policy.areas)
    for adjusted in AreaSections.objects.filter(spec=spec):
        scopes[adjusted.area] = tuple(adjusted.sections) or None
    return scopes


def carry_to_new_version(
    *, spec: Spec, previous: SpecVersion, version: SpecVersion, by, at: datetime.datetime
) -> None:
    """Called inside the upload's transaction, with the spec row locked."""
    policy = review_policy(spec.profile)
    scopes = area_sections(spec)
    old, new = previous.section_hashes or {}, version.section_hashes or {}
    carried, stale = [], []
    for signoff in SignOff.objects.current().filter(version=previous).exclude(user=spec.author):
        covered = staleness.coverage(old, new, scopes.get(signoff.area))
        signed_on = signoff.carried_from or previous.number
        decision = staleness.carry_signoff(
            Verdict(signoff.decision), policy=policy.staleness, covered=covered, signed_on=signed_on
        )
        if not decision.carries:
            stale.append([signoff.area, signoff.role, signoff.user.username, decision.reason])
            continue
        SignOff.objects.create(
            version=version,
            area=signoff.area,
            role=signoff.role,
            user_id=signoff.user_id,
            decision=signoff.decision,
            comment=signoff.comment,
            recorded_at=at,
            carried_from=signed_on,
        )
        carried.append([signoff.area, signoff.role, signoff.user.username, decision.reason])
    ticks = _carry_gate_ticks(spec, previous, version, policy, old, new, at)
    if carried or stale or ticks:
        record_event(
            AuditVerb.SIGNOFF_CARRIED,
            actor=by,
            spec_id=spec.pk,
            version_number=version.number,
            data={"from": previous.number, "carried": carried, "stale": stale, "gates": ticks},
            at=at,
        )


def _carry_gate_ticks(spec, previous, version, policy, old, new, at) -> list[str]:
    carried = []
    for check in GateCheck.objects.filter(version=previous).exclude(state="unchecked"):
        sections = policy.gate_sections(check.item)
        covered = staleness.coverage(old, new, sections)
        if not staleness.carry_gate_tick(
            mapped=sections is not None, policy=policy.staleness, covered=covered
        ):
            continue
        GateCheck.objects.create(
            version=version,
            item=check.item,
            position=check.position,
            state=check.state,
            reason=check.reason,
            by_id=check.by_id,
            at=at,
            carried_from=check.carried_from or previous.number,
            revision=1,
        )
        carried.append(check.item)
    return carried


@transaction.atomic
def withdraw_signoff(*, spec: Spec, area: str, role: str, by, expected_version: int) -> SignOff:
    """Take back one's current decision in a slot (typically a veto): the slot waits again."""
    locked = lock_spec(spec)
    version = locked.current_version
    assert version is not None
    if version.number != expected_version:
        raise StaleForm(f"The spec moved on to v{version.number} since this page was loaded.")
    current = (
        SignOff.objects.current().filter(version=version, area=area, role=role, user=by).first()
    )
    if current is None:
        raise ReviewError("You have no decision in that slot to withdraw.")
    now = timezone.now()
    SignOff.objects.filter(pk=current.pk).update(superseded_at=now)
    bump_row_version(locked)
    record_event(
        AuditVerb.SIGNOFF_WITHDRAWN,
        actor=by,
        spec_id=locked.pk,
        version_number=expected_version,
        target=f"signoff:{current.pk}",
        data={"area": area, "role": role, "decision": current.decision},
        at=now,
    )
    return current


@transaction.atomic
def set_area_sections(
    *, spec: Spec, area: str, sections: list[str], by, expected_row_version: int
) -> AreaSections:
    """The author adjusts which sections an area covers (empty: the whole spec); audited."""
    locked = lock_spec(spec, expected_row_version=expected_row_version)
    version = locked.current_version
    assert version is not None
    titles = [" ".join(title.split()) for title in sections if title.strip()]
    missing = [t for t in titles if normalised_title(t) not in (version.section_hashes or {})]
    if missing:
        raise ReviewError(f"v{version.number} has no section " + ", ".join(missing))
    keys = [normalised_title(t) for t in titles]
    scope, _ = AreaSections.objects.update_or_create(
        spec=locked,
        area=area,
        defaults={"sections": keys, "set_by": by, "set_at": timezone.now()},
    )
    bump_row_version(locked)
    record_event(
        AuditVerb.AREA_SECTIONS_SET,
        actor=by,
        spec_id=locked.pk,
        data={"area": area, "sections": scope.sections},
    )
    return scope
