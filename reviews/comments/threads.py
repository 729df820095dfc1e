"""The review page's comments: threads of a spec as they sit in the version being read.

Two queries whatever the number of comments: the comments (with authors), and the sources of
the older versions whose open comments must be re-anchored (comment_anchors does the mapping).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import F

from reviews.comments.anchors import Anchor, reanchor
from reviews.models import Comment, CommentState
from specs import permissions
from specs.diffing import Opcode, line_opcodes
from specs.models import SpecVersion

GROUPS = (CommentState.OPEN, CommentState.ADDRESSED, CommentState.RESOLVED)
COMMENT_KEYS = ("comment_groups", "comments_mine", "my_open_comments", "can_comment", "can_reply")


@dataclass
class Thread:
    comment: Comment
    on_version: int
    anchor: Anchor
    replies: list[Comment] = field(default_factory=list)
    can_address: bool = False
    can_resolve: bool = False
    can_reopen: bool = False

    @property
    def changes(self) -> tuple[tuple[str, bool], ...]:
        return (("resolve", self.can_resolve), ("reopen", self.can_reopen))


def comment_context(user, spec, can, version: SpecVersion, *, mine: bool) -> dict:
    """Threads on `version` and earlier, grouped by state; `mine` keeps the user's own."""
    comments = list(
        Comment.objects.filter(spec=spec, version__number__lte=version.number)
        .annotate(on_version=F("version__number"))
        .select_related("author", "resolved_by")
        .order_by("created_at", "id")
    )
    roots = [c for c in comments if c.parent_id is None]
    anchors = _anchors(spec, version, roots)
    threads = {c.pk: _thread(user, spec, c, anchors[c.pk]) for c in roots}
    for c in comments:
        if c.parent_id in threads:
            threads[c.parent_id].replies.append(c)
    shown = [t for t in threads.values() if not mine or t.comment.author_id == user.pk]
    return {
        "comment_groups": [(s, [t for t in shown if t.comment.state == s]) for s in GROUPS],
        "comments_mine": mine,
        "my_open_comments": sum(
            1 for t in threads.values() if t.comment.author_id == user.pk and t.comment.is_open
        ),
        "can_comment": permissions.may_comment(can),
        "can_reply": permissions.may_reply(user, spec, can),
    }


def _thread(user, spec, comment: Comment, anchor: Anchor) -> Thread:
    settle = permissions.may_settle_comment(user, comment.author_id)
    return Thread(
        comment=comment,
        on_version=comment.on_version,  # type: ignore[attr-defined]  # annotated above
        anchor=anchor,
        can_address=comment.state == CommentState.OPEN
        and permissions.may_address_comment(user, spec),
        can_resolve=settle and comment.state != CommentState.RESOLVED,
        can_reopen=settle and comment.state != CommentState.OPEN,
    )


def _anchors(spec, version: SpecVersion, roots: Sequence[Comment]) -> dict[int, Anchor]:
    """Each root comment's place in `version`; resolved ones keep their original lines."""
    moving = {
        c.on_version  # type: ignore[attr-defined]
        for c in roots
        if c.is_open and c.line_start is not None and c.version_id != version.pk
    }
    sources = dict(
        SpecVersion.objects.filter(spec=spec, number__in=moving).values_list("number", "source")
        if moving
        else ()
    )
    new_lines = version.source.splitlines()
    opcodes: dict[int, list[Opcode]] = {}
    sections = {entry.get("anchor") for entry in version.toc or []}
    anchors = {}
    for c in roots:
        number = c.on_version  # type: ignore[attr-defined]
        if c.line_start is None or c.line_end is None:
            anchors[c.pk] = Anchor(None, None, outdated=c.is_open and c.section not in sections)
        elif number not in sources:
            # Resolved threads from older versions are history: quoted, not placed in this text.
            here = c.version_id == version.pk
            anchors[c.pk] = Anchor(c.line_start, c.line_end) if here else Anchor(None, None)
        else:
            old_lines = sources[number].splitlines()
            if number not in opcodes:
                opcodes[number] = line_opcodes(old_lines, new_lines)
            anchors[c.pk] = reanchor(
                old_lines, new_lines, c.line_start, c.line_end, c.excerpt, opcodes[number]
            )
    return anchors
