"""The spec page: one page per version, the rendered spec and everything reviewers record."""

from csp.decorators import csp_update
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_GET

from core.http import HtmxHttpRequest
from reviews import actions, page_cache
from reviews.stamps import stamp_of
from reviews.views.answers import PANELS
from reviews.views.outline import versions_and_outline
from reviews.views.page_context import review_context
from specs.models import SpecVersion
from specs.permissions import SpecAbilities

# Mermaid draws its SVGs with inline style attributes and <style> elements, which a strict
# style-src blocks; scripts stay 'self'-only, and author HTML can carry no style (sanitised).
MERMAID_CSP = {"style-src": ["'unsafe-inline'"]}


@require_GET
@csp_update(MERMAID_CSP)  # type: ignore[arg-type]  # django-csp types views as (request) only
def review_page(request: HtmxHttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    panel = request.GET.get("partial")
    one_panel = bool(request.htmx and panel in PANELS)
    # The spec with its grants, its change stamp and this person's last look: one query.
    spec, can = page_cache.page_spec(request.user, slug, whole=one_panel)
    version = (
        spec.current_version
        if number is None
        else get_object_or_404(SpecVersion.objects.with_uploader(), spec=spec, number=number)
    )
    assert version is not None and spec.current_version is not None
    mine = request.GET.get("comments") == "mine"
    line = request.GET.get("line", "")  # a margin group asked for in full
    line_number = int(line) if line.isdigit() else None
    latest = (spec.last_comment, spec.last_event)  # type: ignore[attr-defined]  # annotated
    stamp = stamp_of(spec.slug, spec.row_version, *latest)
    if one_panel:
        # A panel refreshed by live updates: every open page asks for it after an action, and
        # all but the first reader of the new state get the part kept for it.
        context = review_context(
            request.user,
            spec,
            can,
            version,
            mine_comments=mine,
            comment_line=line_number,
            state_key=page_cache.state_key(spec, version, stamp),
        )
        return page_cache.render(request, f"reviews/review.html#{panel}", context)
    etag = page_etag(request, stamp, can, version, (mine, line_number))
    if etag is not None and etag in request.headers.get("If-None-Match", ""):
        return not_modified(etag)
    state_key = page_cache.state_key(spec, version, stamp)
    if not page_cache.is_built(state_key):
        page_cache.complete(spec)  # the first look at this state builds it
    context = review_context(
        request.user,
        spec,
        can,
        version,
        mine_comments=mine,
        comment_line=line_number,
        state_key=state_key,
    )
    # Recorded only when this look is news: a repeat visit writes nothing.
    last_seen = spec.last_seen  # type: ignore[attr-defined]  # annotated by with_last_seen
    if last_seen is None or last_seen < version.number:
        last_seen = actions.note_seen(user=request.user, spec=spec, version_number=version.number)
    context.update(versions_and_outline(spec, version, last_seen))
    # What the "you last looked at vN" line shows, when it is shown (the page's facet).
    since = context["changed_since"]
    context["since_facet"] = lambda: since and (since, context["my_section_query"]())
    # Kept parts hold forms: each reader's own token goes where they hold the placeholder.
    response = page_cache.render(request, "reviews/review.html", context)
    # The "you last looked at vN" line and the outline's marks are shown once; a 304 would
    # show them again.
    if etag is not None and context["changed_since"] is None:
        response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


def page_etag(
    request: HttpRequest, stamp: str | None, can: SpecAbilities, version: SpecVersion, query: tuple
) -> str | None:
    """The full page's validator: everything a repeat visit could see differently.

    The spec's change stamp (its row version, latest comment and audit event: every review
    action moves one), the version's analysis (a pending render finishing), who is looking and
    what they may do, the query (`query`: "only mine", a margin line), and their CSRF cookie
    (the page's forms carry a token made from it).
    None (no validator) while a flash message waits to be shown.
    """
    if CookieStorage.cookie_name in request.COOKIES or "_messages" in request.session:
        return None
    user = request.user
    parts = (
        stamp,
        user.pk,
        user.is_staff,
        tuple(vars(can).values()),
        version.pk,
        version.render_state,
        version.rendered_at,
        version.linted_at,
        query,
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
    )
    return '"' + salted_hmac("review-page-etag", repr(parts)).hexdigest()[:32] + '"'


def not_modified(etag: str) -> HttpResponse:
    response = HttpResponseNotModified()
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response
