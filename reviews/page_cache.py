"""What the review page keeps between requests: work that depends on the spec's state, not on
who is looking (ADR 0018).

The spec's change stamp (reviews.views.live.change_stamp) moves with every review action: each
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

A fragment that holds a form holds `CSRF_PLACEHOLDER` where the reader's CSRF token goes; the
view puts each reader's own token in its place (`with_csrf_token`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.cache import caches
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from reviews.actions import area_sections
from reviews.models import Comment
from reviews.snapshot import ReviewState, load_review
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
    cache_key = f"review-data:{key}"
    kept = fragments().get(cache_key)
    assert spec.current_version is not None, "every spec is created with its first version"
    if kept is not None:
        snapshot, assignments, checks, override, new_errors, scopes = kept
        review = ReviewState(
            spec, spec.current_version, snapshot, assignments, checks, override, new_errors
        )
        return StateData(review, scopes)
    review = load_review(spec)
    scopes = area_sections(spec)
    fragments().set(
        cache_key,
        (
            review.snapshot,
            review.assignments,
            review.gate_checks,
            review.lint_override,
            review.new_lint_errors,
            scopes,
        ),
        STATE_TTL,
    )
    return StateData(review, scopes)


def comment_authors(spec: Spec, version: SpecVersion, key: str) -> frozenset[int]:
    """Who started the threads shown on this version's page, for this state: a thread carries
    buttons for the person who started it (reviews.comments.threads)."""
    cache_key = f"comment-authors:{key}"
    kept = fragments().get(cache_key)
    if kept is None:
        kept = frozenset(
            Comment.objects.filter(spec=spec, parent=None, version__number__lte=version.number)
            .values_list("author_id", flat=True)
            .distinct()
        )
        fragments().set(cache_key, kept, STATE_TTL)
    return kept


def with_csrf_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Puts the reader's CSRF token where the page's fragments hold the placeholder."""
    response.content = response.content.replace(
        CSRF_PLACEHOLDER.encode(), get_token(request).encode()
    )
    return response
