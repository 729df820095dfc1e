"""The spec page: one page per version, the rendered spec and everything reviewers record."""

from csp.decorators import csp_update
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_GET

from core.http import HtmxHttpRequest
from reviews import actions
from reviews.views.answers import PANELS
from reviews.views.live import change_stamp
from reviews.views.outline import versions_and_outline
from reviews.views.page_context import review_context
from specs import permissions
from specs.models import Spec, SpecVersion
from specs.permissions import SpecAbilities

# Mermaid draws its SVGs with inline style attributes and <style> elements, which a strict
# style-src blocks; scripts stay 'self'-only, and author HTML can carry no style (sanitised).
MERMAID_CSP = {"style-src": ["'unsafe-inline'"]}


@require_GET
@csp_update(MERMAID_CSP)  # type: ignore[arg-type]  # django-csp types views as (request) only
def review_page(request: HtmxHttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    spec, can = permissions.get_spec_for(request.user, slug)
    version = (
        spec.current_version
        if number is None
        else get_object_or_404(SpecVersion.objects.with_uploader(), spec=spec, number=number)
    )
    assert version is not None
    mine = request.GET.get("comments") == "mine"
    line = request.GET.get("line", "")  # a margin group asked for in full
    line_number = int(line) if line.isdigit() else None
    panel = request.GET.get("partial")
    if request.htmx and panel in PANELS:
        context = review_context(
            request.user, spec, can, version, mine_comments=mine, comment_line=line_number
        )
        return render(request, f"reviews/review.html#{panel}", context)
    etag = page_etag(request, spec, can, version, (mine, line_number))
    if etag is not None and etag in request.headers.get("If-None-Match", ""):
        return not_modified(etag)
    context = review_context(
        request.user, spec, can, version, mine_comments=mine, comment_line=line_number
    )
    last_seen = actions.note_seen(user=request.user, spec=spec, version_number=version.number)
    context.update(versions_and_outline(spec, version, last_seen))
    response = render(request, "reviews/review.html", context)
    # The "you last looked at vN" line and the outline's marks are shown once; a 304 would
    # show them again.
    if etag is not None and context["changed_since"] is None:
        response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


def page_etag(
    request: HttpRequest, spec: Spec, can: SpecAbilities, version: SpecVersion, query: tuple
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
    stamp = change_stamp(spec.slug)
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
