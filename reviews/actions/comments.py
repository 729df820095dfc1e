"""Review comments: writing them, replying, and moving a thread open → addressed → resolved."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.audit import record_event
from reviews import notices, search_index
from reviews.comments.anchors import excerpt_of, quote_in
from reviews.models import Comment, CommentState
from reviews.rules.vocabulary import AuditVerb
from specs import permissions
from specs.models import Spec

from ._common import ReviewError, StaleForm, lock_spec, locked_review

NOT_A_REVIEWER = "Only reviewers of this spec comment on it."


@transaction.atomic
def add_comment(
    *,
    spec: Spec,
    by,
    body: str,
    expected_version: int,
    line_start: int | None = None,
    line_end: int | None = None,
    section: str = "",
    blocking: bool = False,
    quote: str = "",
    at: datetime.datetime | None = None,
) -> Comment:
    review = locked_review(spec, expected_version=expected_version)
    if not permissions.may_comment(permissions.abilities(by, review.spec)):
        raise ReviewError(NOT_A_REVIEWER)
    source = review.version.source
    line_end = line_end or line_start
    _check_anchor(review.version, line_start, line_end, section)
    excerpt = excerpt_of(source, line_start, line_end or line_start) if line_start else ""
    quote = " ".join(quote.split())
    if quote and not quote_in(excerpt, quote):
        where = (
            f"line {line_start}" if line_start == line_end else f"lines {line_start} to {line_end}"
        )
        if line_start is None:
            where = f"section “{section}” (a quote needs the lines it sits in)"
        raise ReviewError(f"“{quote[:80]}” is not in {where} of v{review.version.number}.")
    comment = Comment.objects.create(
        spec=review.spec,
        version=review.version,
        line_start=line_start,
        line_end=line_end if line_start is not None else None,
        section=section if line_start is None else "",
        # Quoted server-side from the stored source: the text a later version is searched for.
        excerpt=excerpt,
        quote=quote,
        author=by,
        body=body.strip(),
        blocking=blocking,
        created_at=at or timezone.now(),
    )
    _audit(AuditVerb.COMMENT_ADDED, comment, by, {"blocking": blocking, "lines": _lines(comment)})
    _index(comment)
    notices.comment_written(review.spec, comment, by=by)
    return comment


@transaction.atomic
def reply(*, spec: Spec, parent: Comment, by, body: str) -> Comment:
    locked = lock_spec(spec)
    if not permissions.may_reply(by, locked, permissions.abilities(by, locked)):
        raise ReviewError("Only reviewers and the author reply to comments.")
    if parent.parent_id is not None or parent.spec_id != locked.pk:
        raise ReviewError("Replies go to the comment that started the thread.")
    assert locked.current_version is not None
    comment = Comment.objects.create(
        spec=locked,
        version=locked.current_version,
        author=by,
        body=body.strip(),
        parent=parent,
        created_at=timezone.now(),
    )
    _audit(AuditVerb.COMMENT_REPLIED, comment, by, {"parent": parent.pk})
    _index(comment)
    notices.comment_written(locked, comment, by=by)
    return comment


def _index(comment: Comment) -> None:
    search_index.comment_entry(comment).save()


@transaction.atomic
def mark_addressed(*, spec: Spec, comment: Comment, by, note: str, expected_revision: int):
    locked, current = _locked_thread(spec, comment, expected_revision)
    if not permissions.may_address_comment(by, locked):
        raise ReviewError("Only the spec's author marks a comment addressed.")
    if current.state != CommentState.OPEN:
        raise ReviewError("Only an open comment can be marked addressed.")
    _change(current, CommentState.ADDRESSED, addressed_note=note.strip())
    _audit(AuditVerb.COMMENT_ADDRESSED, current, by, {"note": note.strip()})
    if current.blocking:
        notices.blocking_comment_addressed(locked, current, by=by)
    return current


@transaction.atomic
def resolve(*, spec: Spec, comment: Comment, by, expected_revision: int) -> Comment:
    locked, current = _locked_thread(spec, comment, expected_revision)
    if not permissions.may_settle_comment(by, current.author_id):
        raise ReviewError("Only the comment's author (or an administrator) resolves it.")
    if current.state == CommentState.RESOLVED:
        raise ReviewError("That comment is already resolved.")
    _change(current, CommentState.RESOLVED, resolved_by=by)
    _audit(AuditVerb.COMMENT_RESOLVED, current, by, {"blocking": current.blocking})
    notices.comment_settled(locked, current, by=by, reopened=False)
    return current


@transaction.atomic
def reopen(*, spec: Spec, comment: Comment, by, expected_revision: int) -> Comment:
    locked, current = _locked_thread(spec, comment, expected_revision)
    if not permissions.may_settle_comment(by, current.author_id):
        raise ReviewError("Only the comment's author (or an administrator) reopens it.")
    if current.state == CommentState.OPEN:
        raise ReviewError("That comment is already open.")
    _change(current, CommentState.OPEN, resolved_by=None)
    _audit(AuditVerb.COMMENT_REOPENED, current, by, {"blocking": current.blocking})
    notices.comment_settled(locked, current, by=by, reopened=True)
    return current


def _check_anchor(version, line_start: int | None, line_end: int | None, section: str) -> None:
    if line_start is not None:
        total = len(version.source.splitlines())
        if not (line_end is not None and 1 <= line_start <= line_end <= total):
            raise ReviewError(f"Lines must be within 1 to {total} of v{version.number}.")
    elif section not in {entry.get("anchor") for entry in version.toc or []}:
        raise ReviewError(f"v{version.number} has no section “{section}”.")


def _locked_thread(spec: Spec, comment: Comment, expected_revision: int):
    locked = lock_spec(spec)
    current = Comment.objects.select_for_update().get(pk=comment.pk, spec=locked)
    if current.parent_id is not None:
        raise ReviewError("Replies have no state of their own; act on the thread's comment.")
    if current.revision != expected_revision:
        raise StaleForm("Someone changed that comment since the page was loaded.")
    return locked, current


def _change(comment: Comment, state: str, **fields) -> None:
    now = timezone.now()
    if state == CommentState.ADDRESSED:
        fields["addressed_at"] = now
    fields["resolved_at"] = now if state == CommentState.RESOLVED else None
    Comment.objects.filter(pk=comment.pk).update(state=state, revision=F("revision") + 1, **fields)
    comment.refresh_from_db()


def _lines(comment: Comment) -> str:
    if comment.line_start is None:
        return f"§{comment.section}"
    return f"{comment.line_start}-{comment.line_end}"


def _audit(verb: str, comment: Comment, by, data: dict) -> None:
    record_event(
        verb,
        actor=by,
        spec_id=comment.spec_id,
        version_number=comment.version.number,
        target=f"comment:{comment.pk}",
        data={**data, "comment": comment.pk},
        at=timezone.now(),
    )
