"""The review page's comments: threads of a spec as they sit in the version being read.

The margin groups threads by the line they sit on in that version. Placing every thread costs
one light query (a few columns per thread) plus the sources of the older versions whose open
threads must be re-anchored; only the first `FULL_GROUPS` groups are loaded in full (one more
query, with authors and replies), and the others come as a count that loads itself on request.
So the page costs the same number of queries, and about the same template work, with 10
comments or 1,000 (bench/comments_bench.py; ADR 0017).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.urls import reverse

from reviews.comments.anchors import Anchor, reanchor
from reviews.models import Comment, CommentState
from specs import permissions
from specs.diffing import Opcode, line_opcodes
from specs.models import SpecVersion

# Groups loaded in full on the page; later ones show their count and load on request.
FULL_GROUPS = 12
# Threads that are not in the text being read (outdated, or resolved on an older version).
DETACHED = "detached"
COMMENT_KEYS = (
    "margin_groups",
    "detached_group",
    "requested_group",
    "comment_urls",
    "comments_mine",
    "open_comments",
    "my_open_comments",
    "can_comment",
    "can_reply",
)


@dataclass(frozen=True)
class Placed:
    """A thread's root, as much of it as placing it in the margin needs."""

    pk: int
    on_version: int
    version_id: int
    line_start: int | None
    line_end: int | None
    section: str
    excerpt: str
    quote: str
    state: str
    author_id: int

    @property
    def is_open(self) -> bool:
        return self.state != CommentState.RESOLVED


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


@dataclass
class Group:
    """The threads on one line of the version (or the detached ones), in the order written."""

    key: str  # "L12", or DETACHED
    line: int | None
    end: int | None
    section: str
    members: list[Placed] = field(default_factory=list)
    count: int = 0
    open: int = 0
    threads: list[Thread] | None = None  # None until loaded in full
    load_url: str = ""  # where a group not loaded yet gets its threads

    def add(self, placed: Placed) -> None:
        self.members.append(placed)
        self.count += 1
        self.open += placed.is_open

    @property
    def loaded(self) -> bool:
        return self.threads is not None

    @property
    def label(self) -> str:
        """The text of a group not loaded yet (one string: the margin may hold hundreds)."""
        plural = "" if self.count == 1 else "s"
        still = f" ({self.open} open)" if self.open else ""
        return f"Show {self.count} comment{plural} on line {self.line}{still}"


def comment_context(
    user,
    spec,
    can,
    version: SpecVersion,
    *,
    mine: bool,
    line: int | None = None,
    thread: int | None = None,
) -> dict:
    """The margin of `version`: groups by line, the detached group, and what the user may do.

    `line` (a group the page asked for) and `thread` (the one just acted on) are loaded in full
    whatever their place; `mine` keeps the user's own threads."""
    placed = _placed(spec, version, user if mine else None)
    anchors = _anchors(spec, version, placed)
    groups = _group(placed, anchors)
    detached = groups.pop(DETACHED, Group(DETACHED, None, None, ""))
    ordered = sorted(groups.values(), key=lambda g: (g.line or 0, g.key))
    # Section threads have no line to load them by: they come in full, like the first groups.
    wanted = [*ordered[:FULL_GROUPS], detached]
    wanted += [g for g in ordered[FULL_GROUPS:] if g.line is None]
    wanted += [g for g in ordered if g.line == line or thread in {m.pk for m in g.members}]
    _load(user, spec, anchors, wanted)
    requested = next((g for g in wanted if g.line is not None and g.line == line), None)
    acted = next((g for g in wanted if thread in {m.pk for m in g.members}), None)
    slug = spec.slug
    page = reverse("reviews:spec_version", args=[slug, version.number])
    mine_query = "&comments=mine" if mine else ""
    for g in ordered:
        if not g.loaded:
            g.load_url = f"{page}?partial=thread-group&line={g.line}{mine_query}"
    return {
        "margin_groups": ordered,
        "detached_group": detached,
        "requested_group": acted or requested,
        "comment_urls": {
            "add": reverse("reviews:add_comment", args=[slug]),
            "reply": reverse("reviews:reply_comment", args=[slug]),
            **{
                change: reverse("reviews:change_comment", args=[slug, change])
                for change in ("address", "resolve", "reopen")
            },
            "page": page,
        },
        "comments_mine": mine,
        "open_comments": sum(1 for p in placed if p.is_open),
        "my_open_comments": sum(1 for p in placed if p.author_id == user.pk and p.is_open),
        "can_comment": permissions.may_comment(can),
        "can_reply": permissions.may_reply(user, spec, can),
    }


def _placed(spec, version: SpecVersion, only_by) -> list[Placed]:
    roots = Comment.objects.filter(
        spec=spec, parent__isnull=True, version__number__lte=version.number
    )
    if only_by is not None:
        roots = roots.filter(author=only_by)
    rows = roots.order_by("created_at", "id").values_list(
        "pk",
        F("version__number"),
        "version_id",
        "line_start",
        "line_end",
        "section",
        "excerpt",
        "quote",
        "state",
        "author_id",
    )
    return [Placed(*row) for row in rows]


def _group(placed: Sequence[Placed], anchors: dict[int, Anchor]) -> dict[str, Group]:
    groups: dict[str, Group] = {}
    for p in placed:
        anchor = anchors[p.pk]
        line, end = anchor.line_start, anchor.line_end
        if line is not None:
            key, section = f"L{line}", ""
        elif p.section and not anchor.outdated and p.is_open:
            key, line, end, section = f"S-{p.section}", None, None, p.section
        else:
            key, line, end, section = DETACHED, None, None, ""
        group = groups.setdefault(key, Group(key, line, end, section))
        if end is not None and (group.end is None or end > group.end):
            group.end = end
        group.add(p)
    return groups


def _load(user, spec, anchors: dict[int, Anchor], groups: Sequence[Group]) -> None:
    """Loads the groups' threads in full, with authors and replies, in one query."""
    ids = {m.pk for g in groups for m in g.members}
    comments = (
        list(
            Comment.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids))
            .annotate(on_version=F("version__number"))
            .select_related("author", "resolved_by")
            .order_by("created_at", "id")
        )
        if ids
        else []
    )
    threads = {c.pk: _thread(user, spec, c, anchors[c.pk]) for c in comments if c.parent_id is None}
    for c in comments:
        if c.parent_id in threads:
            threads[c.parent_id].replies.append(c)
    for g in groups:
        g.threads = [threads[m.pk] for m in g.members if m.pk in threads]


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


def _anchors(spec, version: SpecVersion, roots: Sequence[Placed]) -> dict[int, Anchor]:
    """Each root comment's place in `version`; resolved ones keep their original lines."""
    moving = {c.on_version for c in roots if c.is_open and c.line_start is not None}
    moving.discard(version.number)
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
        number = c.on_version
        if c.line_start is None or c.line_end is None:
            anchors[c.pk] = Anchor(None, None, outdated=c.is_open and c.section not in sections)
        elif c.version_id == version.pk:
            anchors[c.pk] = Anchor(c.line_start, c.line_end)
        elif not c.is_open or number not in sources:
            # Resolved threads from older versions are history: quoted, not placed in this text.
            anchors[c.pk] = Anchor(None, None)
        else:
            old_lines = sources[number].splitlines()
            if number not in opcodes:
                opcodes[number] = line_opcodes(old_lines, new_lines)
            anchors[c.pk] = reanchor(
                old_lines,
                new_lines,
                c.line_start,
                c.line_end,
                c.excerpt,
                opcodes[number],
                quote=c.quote,
            )
    return anchors
