import datetime
from html import unescape

import pytest
from django.urls import reverse

from reviews import actions

pytestmark = pytest.mark.django_db


def record(
    spec, by, request, decision="Approved", date=datetime.date(2026, 10, 1), supersedes=None
):
    return actions.record_decision(
        spec=spec,
        by=by,
        expected_version=1,
        date=date,
        request=request,
        source="Support",
        decision=decision,
        rationale="r",
        trade_off="t",
        supersedes=supersedes,
    )


def badge(decision: str) -> str:
    return f'<span class="badge">{decision}</span>'


def test_cross_spec_log_filters_and_hides_superseded_entries(client, reviewed_spec, people):
    first = record(reviewed_spec, people["jonas"], "SMS reminders", "Deferred")
    record(reviewed_spec, people["sofia"], "SMS reminders", "Rejected", supersedes=first)
    record(reviewed_spec, people["jonas"], "Parquet", "Approved", date=datetime.date(2026, 6, 1))
    client.force_login(people["jonas"])
    url = reverse("reviews:decision_log")
    html = client.get(url).content.decode()
    assert badge("Rejected") in html and badge("Deferred") not in html
    assert badge("Deferred") in client.get(url, {"include_superseded": "on"}).content.decode()
    filtered = client.get(
        url, {"decision": "Approved", "since": "2026-05-01", "until": "2026-07-01"}
    ).content.decode()
    assert "Parquet" in filtered and "SMS reminders" not in filtered


def test_htmx_filter_returns_only_the_results_partial(client, reviewed_spec, people):
    record(reviewed_spec, people["jonas"], "Parquet")
    client.force_login(people["jonas"])
    partial = client.get(
        reverse("reviews:decision_log"), {"decision": "Approved"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert partial.lstrip().startswith('<div id="decision-results"')


def test_decisions_on_specs_you_cannot_see_never_appear(client, reviewed_spec, people, make_spec):
    private = make_spec("private-plan", owner=people["outsider"])
    record(reviewed_spec, people["jonas"], "Visible request")
    actions.assign_raci(
        spec=private,
        area="Eng",
        role="A",
        user=people["priya"],
        by=people["outsider"],
        expected_row_version=private.row_version,
    )
    record(private, people["priya"], "Secret request")
    client.force_login(people["jonas"])
    html = client.get(reverse("reviews:decision_log")).content.decode()
    assert "Visible request" in html and "Secret request" not in html


def test_drift_is_reported_both_ways(client, reviewed_spec, people):
    """The document's log and the review's log must agree; each side's extra rows are named."""
    client.force_login(people["jonas"])

    def drift() -> str:
        html = client.get(reviewed_spec.get_absolute_url()).content.decode()
        section = html.split("Drift from the document", 1)[-1].split("</div>", 1)[0]
        return " ".join(unescape(section).split())

    # The table's "Parquet export" row (Approved, 2026-09-14) was never recorded in review.
    assert "“Parquet export” (Approved): in v1's Scope Decision Log, never recorded" in drift()
    record(reviewed_spec, people["jonas"], "Parquet export", date=datetime.date(2026, 9, 14))
    record(reviewed_spec, people["jonas"], "Retention 7 days")
    report = drift()
    assert "Parquet export" not in report  # the two sides agree on it now
    assert "“Retention 7 days” (Approved): not in v1's Scope Decision Log" in report
