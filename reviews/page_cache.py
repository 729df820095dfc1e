"""What the review page keeps between requests: work that depends on the spec's state, not on
who is looking (ADR 0018).

The spec's change stamp (reviews.stamps) moves with every review action: each
one bumps the spec's row version, writes a comment or writes an audit event. The page computes
it anyway, for its ETag and for live updates. Keyed by it, together with the version and its
analysis, the parts of the page that show the spec's state (the timeline, the sign-off matrix,
the decision log, the gate, the RACI panel, the versions) and the review state the per-person
parts are computed from are built once per state and reused by every reader until the next
action, instead of being rebuilt from a dozen queries for each page view.

Each process keeps its own copy ("fragments" cache, local memory): the key says exactly which
state a fragment shows, so a copy is never wrong for another node, only missing. The short
lifetime bounds what the stamp does not see: a person renamed in the admin, or a new account
that now matches a name in a RACI table.

A fragment that holds a form holds `CSRF_PLACEHOLDER` where the reader's CSRF token goes;
`render` puts each reader's own token in its place.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django import shortcuts
from django.core.cache import caches
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from core.statements import Statement
from reviews.actions import area_sections, with_last_seen
from reviews.actions.last_seen import with_last_seen_of
from reviews.models import Comment
from reviews.snapshot import ReviewState, load_review
from reviews.stamps import with_change_stamp
from specs import permissions
from specs.models import Spec, SpecVersion

# Seconds a state's fragments live: they are never wrong for their key, this only bounds what
# the stamp does not cover (display names, accounts matched by name) and the memory they hold.
STATE_TTL = 300

# Random per process, so that no author can write it into a spec or a comment and have a
# reader's token put in its place; it never leaves the process (the view replaces it).
CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"


def fragments():
    return caches["fragments"]


# The current version's columns a page view needs only to build what is kept here (or
# per version: the rendered text, the outline, the lint findings); a later reader's page
# leaves them in the database, with the spec's template and author. `complete` loads them
# for a page being built.
BUILD_ONLY_FIELDS = (
    "original_bytes",
    "source",
    "rendered_html",
    "toc",
    "outline",
    "front_matter",
    "lint_findings",
    "section_hashes",
    "structures",
)


def for_a_page_view(specs: QuerySet[Spec]) -> QuerySet[Spec]:
    """Specs with what every view of the review page reads: the current version, without
    the columns only a build needs."""
    return specs.select_related("current_version").defer(
        *(f"current_version__{name}" for name in BUILD_ONLY_FIELDS)
    )


# The columns a page view reads: every one of the spec's, the current version's but the
# build-only ones; the grants, the change stamp and the reader's last look come with them.
_SPEC_FIELDS = tuple(f.attname for f in Spec._meta.concrete_fields)
_VERSION_FIELDS = tuple(
    f for f in SpecVersion._meta.concrete_fields if f.name not in BUILD_ONLY_FIELDS
)
_ANNOTATIONS = ("grants_user_id", "user_grants", "group_grants", "last_comment", "last_event")


def _page_spec(*, slug, user_id) -> QuerySet:
    specs = permissions.with_grants_of(Spec.objects.filter(slug=slug), user_id)
    specs = with_last_seen_of(with_change_stamp(specs), user_id)
    return specs.values(
        *_SPEC_FIELDS,
        *(f"current_version__{f.name}" for f in _VERSION_FIELDS),
        *_ANNOTATIONS,
        "last_seen",
    )


# Compiled once per process (core.statements): building and compiling this read, with its
# grant subqueries and annotations, cost more of a page view's CPU than running it.
_PAGE_SPEC = Statement(_page_spec, slug=models.CharField(), user_id=models.IntegerField())


def page_spec(user, slug: str, *, whole: bool = False) -> tuple[Spec, permissions.SpecAbilities]:
    """The spec as `for_a_page_view` reads it (`whole`: with every column, its template and
    author, for a panel rendered on its own), with its grants, change stamp and `user`'s last
    look, and what `user` may do with it; 404 as `permissions.get_spec_for`. One query."""
    if whole or permissions.reach(user) is not permissions.Reach.GRANTED:
        specs = (
            Spec.objects.with_current_version() if whole else for_a_page_view(Spec.objects.all())
        )
        specs = with_last_seen(with_change_stamp(specs), user)
        return permissions.get_spec_for(user, slug, queryset=specs)
    rows = _PAGE_SPEC.rows(slug=slug, user_id=user.pk)
    if not rows:
        raise Http404("No such spec")
    row = rows[0]
    spec = Spec.from_db("default", _SPEC_FIELDS, [row[name] for name in _SPEC_FIELDS])
    version = SpecVersion.from_db(
        "default",
        [f.attname for f in _VERSION_FIELDS],
        [row[f"current_version__{f.name}"] for f in _VERSION_FIELDS],
    )
    spec.current_version = version
    for name in (*_ANNOTATIONS, "last_seen"):
        setattr(spec, name, row[name])
    can = permissions.abilities(user, spec)
    if not can.can_view:
        raise Http404("No such spec")
    return spec, can


def is_built(key: str) -> bool:
    return f"review-data:{key}" in fragments()


def complete(spec: Spec) -> None:
    """Loads what `for_a_page_view` left out, in two queries (not the upload's bytes)."""
    version = spec.current_version
    assert version is not None, "every spec is created with its first version"
    missing = version.get_deferred_fields() - {"original_bytes"}
    if missing:
        version.refresh_from_db(fields=sorted(missing))
    related = Spec.objects.select_related("profile", "author").get(pk=spec.pk)
    spec.profile, spec.author = related.profile, related.author


def state_key(spec: Spec, version: SpecVersion, stamp: str) -> str:
    """Names the state a page shows: the spec's stamp, the version read and its analysis, and
    the language and time zone dates and words are shown in."""
    parts = (
        spec.pk,
        stamp,
        version.pk,
        version.render_state,
        version.rendered_at,
        version.linted_at,
        version.renderer_version,  # an older renderer's output says it is being refreshed
        version.linter_version,
        spec.current_version_id,
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    return salted_hmac("review-page-state", repr(parts)).hexdigest()[:32]


@dataclass(frozen=True)
class StateData:
    """The spec-level values behind the per-person parts (workflow buttons, my sign-off
    slots, the lint override form): the review state without its spec and version objects,
    which each request has already loaded, and the areas' sections."""

    review: ReviewState
    scopes: dict


def review_data(spec: Spec, key: str) -> StateData:
    """The review state and areas' sections for the state `key` names: kept from an earlier
    request when there is one, computed (and kept) otherwise."""
    assert spec.current_version is not None, "every spec is created with its first version"

    def build() -> tuple:
        review = load_review(spec)
        kept = (review.gate_checks, review.lint_override, review.new_lint_errors)
        return (review.snapshot, review.assignments, *kept, area_sections(spec))

    *state, scopes = fragments().get_or_set(f"review-data:{key}", build, STATE_TTL)
    return StateData(ReviewState(spec, spec.current_version, *state), scopes)


def comment_authors(spec: Spec, version: SpecVersion, key: str) -> frozenset[int]:
    """Who started the threads shown on this version's page, for this state: a thread carries
    buttons for the person who started it (reviews.comments.threads)."""
    roots = Comment.objects.filter(spec=spec, parent=None, version__number__lte=version.number)
    return fragments().get_or_set(
        f"comment-authors:{key}",
        lambda: frozenset(roots.values_list("author_id", flat=True).distinct()),
        STATE_TTL,
    )


def render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """Renders a review page or panel whose kept parts may hold forms: they are built with
    `CSRF_PLACEHOLDER` for the token, and each reader's own token goes in its place."""
    context["csrf_token"] = CSRF_PLACEHOLDER
    response = shortcuts.render(request, template, context)
    response.content = response.content.replace(
        CSRF_PLACEHOLDER.encode(), get_token(request).encode()
    )
    return response
