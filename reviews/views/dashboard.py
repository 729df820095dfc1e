"""The approval dashboard: what waits on me, my specs, every spec I can see, trends, CSV."""

from __future__ import annotations

import csv

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.http import HtmxHttpRequest
from reviews.dashboard import context as dashboard
from specs.models import Profile


class _Echo:
    """A file-like object whose write hands the CSV line back, so rows stream one by one."""

    def write(self, value: str) -> str:
        return value


def _filter_form(request: HtmxHttpRequest) -> tuple[dashboard.SpecFilterForm, list[Profile]]:
    profiles = list(Profile.objects.all())
    return dashboard.SpecFilterForm(request.GET or None, profiles=profiles), profiles


@require_GET
def dashboard_page(request: HtmxHttpRequest) -> HttpResponse:
    """Home: what waits on me, my specs and all specs I can see (?partial=specs: the list)."""
    form, profiles = _filter_form(request)
    now = timezone.now()
    if request.htmx and request.GET.get("partial") == "specs":
        context = dashboard.list_context(request.user, form, now)
        response = render(request, "reviews/dashboard.html#specs", context)
        if not context["filters"].get("cursor"):
            response["HX-Trigger"] = "dashboard-filtered"  # the trends follow the filters
        return response
    context = dashboard.dashboard_context(request.user, form, profiles, now)
    return render(request, "reviews/dashboard.html", context)


@require_GET
def trends_page(request: HtmxHttpRequest) -> HttpResponse:
    """Charts and aggregates over the specs I can see, with the dashboard's filters."""
    form, _ = _filter_form(request)
    context = dashboard.trends_context(request.user, form, timezone.now())
    if request.htmx:
        return render(request, "reviews/dashboard_trends.html#charts", context)
    return render(request, "reviews/dashboard_trends.html", context)


@require_GET
def export_csv(request: HtmxHttpRequest) -> StreamingHttpResponse:
    """Every spec I can see that matches the filters, as CSV, streamed row by row."""
    form, _ = _filter_form(request)
    writer = csv.writer(_Echo())
    rows = dashboard.export_rows(request.user, form, timezone.now())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="specs-{stamp}.csv"'
    return response
