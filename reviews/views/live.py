"""The spec's change stamp, which open review pages poll to learn that someone else acted.

"Nothing new" costs one query: the stamp is the spec's row version with its latest comment and
audit event, salted with the site's secret, so only a page that was shown the spec holds a stamp
that can match. Anything else goes through the usual fetch-and-authorise (404 for the unseen).
"""

from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from core.http import HtmxHttpRequest
from reviews.stamps import change_stamp
from reviews.views.answers import LIVE_PANELS
from specs import permissions


@require_GET
def spec_changes(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """204 when nothing changed since ``?since=``; else the new stamp and the panels to refresh."""
    stamp = change_stamp(slug)
    if stamp is None:
        raise Http404("No such spec")
    if request.GET.get("since") == stamp:
        return HttpResponse(status=204)
    permissions.get_spec_for(request.user, slug)
    return JsonResponse({"stamp": stamp, "panels": list(LIVE_PANELS)})
