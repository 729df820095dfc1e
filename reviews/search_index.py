"""What the review side puts in the search index, in one place: the actions write these as they
happen, and `manage.py backfill_search` rebuilds a spec's entries from the rows themselves."""

from __future__ import annotations

from django.db import transaction

from reviews.models import Comment, DecisionEntry, GateCheck
from reviews.rules.gates import GateState
from specs import search
from specs.models import SearchEntry, SearchKind, Spec, SpecVersion


def comment_entry(comment: Comment) -> SearchEntry:
    thread = comment.parent_id or comment.pk
    return SearchEntry(
        spec_id=comment.spec_id,
        kind=SearchKind.COMMENT,
        version_number=comment.version.number,
        body=comment.body,
        anchor=f"comment-{thread}",
        author_id=comment.author_id,
        created_at=comment.created_at,
    )


def decision_entry(entry: DecisionEntry) -> SearchEntry:
    return SearchEntry(
        spec_id=entry.spec_id,
        kind=SearchKind.DECISION,
        version_number=entry.version.number,
        body=f"{entry.request}\n{entry.decision}\n{entry.rationale}\n{entry.trade_off}",
        anchor=f"decision-{entry.pk}",
        author_id=entry.recorded_by_id,
        created_at=entry.recorded_at,
    )


def gate_entry(check: GateCheck) -> SearchEntry:
    return SearchEntry(
        spec_id=check.version.spec_id,
        kind=SearchKind.GATE,
        version_number=check.version.number,
        body=f"{check.item}: {check.reason}",
        anchor="gates-panel",
        author_id=check.by_id,
        created_at=check.at or check.version.uploaded_at,
    )


@transaction.atomic
def rebuild_spec(spec_id: int) -> int:
    """Replace one spec's entries with ones made from its versions, comments, decisions and
    N/A gate reasons; the spec row is locked so no writer adds an entry halfway. The count."""
    spec = Spec.objects.select_for_update().filter(pk=spec_id).first()
    if spec is None:
        return 0
    SearchEntry.objects.filter(spec=spec).delete()
    for version in SpecVersion.objects.filter(spec=spec).order_by("number"):
        version.spec = spec
        search.index_version(version)
    notes = [
        *(comment_entry(c) for c in Comment.objects.filter(spec=spec).select_related("version")),
        *(
            decision_entry(d)
            for d in DecisionEntry.objects.filter(spec=spec).select_related("version")
        ),
        *(
            gate_entry(g)
            # A carried tick is the same reason again: indexed once, where it was written.
            for g in GateCheck.objects.filter(
                version__spec=spec, state=GateState.NA, carried_from__isnull=True
            ).select_related("version")
        ),
    ]
    SearchEntry.objects.bulk_create(notes)
    return SearchEntry.objects.filter(spec=spec).count()
