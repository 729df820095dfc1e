"""The approval dashboard's reads: what waits on me, my specs, all specs I can see, trends.

Each section is a fixed number of queries whatever the number of specs (pinned in
tests/reviews/test_dashboard_views.py); everything starts from the specs the user may see
(``visible_specs``; the dashboard's own lists read the same set as ``specs_reached`` in
statements compiled once per process, core.statements, because compiling them was most of
the page's CPU).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from reviews.dashboard import charts
from specs.models import Profile
from specs.permissions import visible_specs
from specs.profiles import checklist_items
from specs.vocabulary import SpecState, choices

from . import trends
from .listing import SpecFilterForm, csv_rows, filter_specs, spec_page
from .mine import my_specs
from .waiting import waiting_on

__all__ = [
    "SpecFilterForm",
    "checklists",
    "csv_rows",
    "dashboard_context",
    "export_rows",
    "list_context",
    "trends_context",
]


def checklists(profiles: Iterable[Profile]) -> dict[int, tuple[str, ...]]:
    """Each profile's gate items (parsed from the template, cached by the profiles module)."""
    return {p.pk: checklist_items(p) for p in profiles}


def dashboard_context(
    user, form: SpecFilterForm, profiles: list[Profile], now: datetime.datetime
) -> dict[str, Any]:
    items = checklists(profiles)
    totals = {pk: len(labels) for pk, labels in items.items()}
    return {
        "waiting": waiting_on(user, totals, now),
        "mine": my_specs(user, items, now),
        **list_context(user, form, now),
    }


def list_context(user, form: SpecFilterForm, now: datetime.datetime) -> dict[str, Any]:
    filters = form.filters()
    page = spec_page(user, filters, now)
    return {
        "form": form,
        "page": page,
        "filters": filters,
        "next_query": _query({**filters, "cursor": page.next_cursor}) if page.next_cursor else "",
        "first_query": _query({k: v for k, v in filters.items() if k != "cursor"}),
        "now": now,
    }


def export_rows(user, form: SpecFilterForm, now: datetime.datetime):
    filters = {k: v for k, v in form.filters().items() if k != "cursor"}
    return csv_rows(visible_specs(user), filters, now)


def trends_context(user, form: SpecFilterForm, now: datetime.datetime) -> dict[str, Any]:
    filters = {k: v for k, v in form.filters().items() if k not in ("cursor", "sort")}
    specs = filter_specs(visible_specs(user), filters, now)
    days, by_state = trends.states_over_time(specs, now)
    approvals = trends.approvals_per_week(specs, now)
    distribution = trends.approval_distribution(specs)
    return {
        "form": form,
        "filters": filters,
        "open_reviews": trends.open_reviews(specs),
        "medians": trends.median_time_to_approval(specs),
        "approvals_total": sum(n for _, n in approvals),
        "states_chart": _svg(
            charts.stacked_bar_chart(
                [f"{d.day} {d:%b}" for d in days],
                by_state,
                title="Specs by state, week by week",
                names=dict(choices(SpecState)),
            )
        ),
        "distribution_chart": _svg(
            charts.bar_chart(
                [charts.Bar(label, n) for label, n in distribution],
                title="Time from first submit to approval",
                unit=" specs",
                series="approved",
            )
        ),
        "approvals_chart": _svg(
            charts.bar_chart(
                [charts.Bar(f"{week.day} {week:%b}", n) for week, n in approvals],
                title="Approvals per week",
                unit=" approvals",
                series="approvals",
            )
        ),
    }


def _svg(svg: str) -> SafeString:
    # reviews.dashboard.charts escapes every label and title it draws; no script, no style.
    return mark_safe(svg)  # noqa: S308


def _query(values: dict[str, Any]) -> str:
    return urlencode({k: v for k, v in values.items() if v not in (None, "")})
