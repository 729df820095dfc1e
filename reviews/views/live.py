"""The spec's change stamp, which open review pages poll to learn that someone else acted.

"Nothing new" costs one query: the stamp is the spec's row version with its latest comment and
audit event, salted with the site's secret, so only a page that was shown the spec holds a stamp
that can match. Anything else goes through the usual fetch-and-authorise (404 for the unseen).
"""

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_GET

from core.http import HtmxHttpRequest
from core.models import AuditEvent
from reviews.models import Comment
from reviews.views.answers import LIVE_PANELS
from specs import permissions
from specs.models import Spec


def with_change_stamp(specs: QuerySet[Spec]) -> QuerySet[Spec]:
    """Specs with what their change stamp is made of: the latest comment and audit event.

    Written as SQL: composing the same two subqueries with the ORM (filter, values, Max) cost
    the review page's worker more CPU than PostgreSQL spends running them (ADR 0018).
    """
    # Table names from the models' own meta; no value from a request goes into the text.
    spec, comment, event = (m._meta.db_table for m in (Spec, Comment, AuditEvent))
    latest_comment = f"SELECT max(id) FROM {comment} WHERE spec_id = {spec}.id"  # noqa: S608
    latest_event = f"SELECT max(id) FROM {event} WHERE spec_id = {spec}.id"  # noqa: S608
    return specs.annotate(
        last_comment=RawSQL(latest_comment, ()),  # noqa: S611
        last_event=RawSQL(latest_event, ()),  # noqa: S611
    )


def stamp_of(slug: str, row_version: int, last_comment: int | None, last_event: int | None) -> str:
    latest = (row_version, last_comment, last_event)
    return salted_hmac("spec-change-stamp", f"{slug}:{latest}").hexdigest()[:24]


def change_stamp(slug: str) -> str | None:
    """The spec's change stamp in one query, or None when there is no such spec."""
    latest = (
        with_change_stamp(Spec.objects.filter(slug=slug))
        .values_list(  # type: ignore[misc]  # the stubs cannot see with_change_stamp's names
            "row_version", "last_comment", "last_event"
        )
        .first()
    )
    if latest is None:
        return None
    return stamp_of(slug, *latest)


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
