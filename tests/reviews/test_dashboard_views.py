"""The dashboard pages: page, htmx partial, forbidden, and pinned query counts."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from reviews import actions
from specs import actions as spec_actions
from specs.models import Spec
from tests.conftest import RACI_SPEC

pytestmark = pytest.mark.django_db

# session, user, profiles, pending sign-offs, gates to tick, changes to address, blocking comments
# to address or verify (+1, added with comments), my specs + RACI + sign-offs + gate ticks, one
# page of all specs, its total; +1 for my requests for changes carried to a newer version.
DASHBOARD_QUERIES = 14
TRENDS_QUERIES = 8
CSV_QUERIES = 4


def submit(spec, by):
    fresh = Spec.objects.get(pk=spec.pk)
    actions.transition(spec=fresh, name="submit", by=by, expected_row_version=fresh.row_version)


def csv_of(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_dashboard_shows_what_waits_on_me_my_specs_and_all_specs(client, reviewed_spec, people):
    submit(reviewed_spec, people["aisha"])
    client.force_login(people["sofia"])
    html = client.get(reverse("reviews:home")).content.decode()
    assert 'id="waiting-panel"' in html
    assert "Sign off as Accountable for Security/Privacy" in html
    assert 'id="specs"' in html and "Ledger export" in html
    assert "css/dashboard.css" in html

    client.force_login(people["aisha"])
    html = client.get(reverse("reviews:home")).content.decode()
    assert "Nothing waits on you." in html
    assert "waiting on the Engineering Responsible, Lukas Novak" in html


def test_filter_partial_answers_the_list_alone_and_tells_the_trends(
    client, reviewed_spec, people, make_spec
):
    make_spec("other-draft", owner=people["aisha"])
    submit(reviewed_spec, people["aisha"])
    client.force_login(people["aisha"])
    response = client.get(
        reverse("reviews:home"), {"partial": "specs", "state": "in_review"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="specs"')
    assert "Ledger export" in html and "Other Draft" not in html
    assert "<h1>" not in html
    assert response["HX-Trigger"] == "dashboard-filtered"


def test_other_peoples_private_specs_never_appear(client, reviewed_spec, people, make_spec):
    make_spec("secret-draft", owner=people["jonas"])
    client.force_login(people["outsider"])
    html = client.get(reverse("reviews:home")).content.decode()
    assert "Ledger export" not in html and "Secret Draft" not in html
    partial = client.get(reverse("reviews:home"), {"partial": "specs"}, HTTP_HX_REQUEST="true")
    assert "Secret Draft" not in partial.content.decode()
    rows = csv_of(client.get(reverse("reviews:dashboard_export")))
    assert rows == [rows[0]]  # the header alone


def test_a_superuser_sees_every_spec(client, reviewed_spec, people, make_spec, make_user):
    make_spec("secret-draft", owner=people["jonas"])
    client.force_login(make_user("root", is_superuser=True))
    html = client.get(reverse("reviews:home")).content.decode()
    assert "Secret Draft" in html and "Ledger export" in html and "2 specs" in html


def ledger(slug: str, people) -> Spec:
    """A spec like the fixture's, with its own RACI seeded from the table, submitted."""
    spec = spec_actions.create_spec(
        title=slug.replace("-", " ").title(),
        slug=slug,
        profile=Spec.objects.get(slug="ledger-export").profile,
        author=people["aisha"],
    )
    spec_actions.upload_version(spec=spec, data=RACI_SPEC.encode(), uploaded_by=people["aisha"])
    submit(spec, people["aisha"])
    return spec


def queries_for(client, url, params=None, **headers) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {}, **headers)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("name", "params", "pinned"),
    [
        ("reviews:home", {}, DASHBOARD_QUERIES),
        (
            "reviews:home",
            {"state": "in_review", "area": "Engineering", "person": "jonas"},
            DASHBOARD_QUERIES,
        ),
        ("reviews:dashboard_trends", {"profile": "generic"}, TRENDS_QUERIES),
        ("reviews:dashboard_export", {"age": "week"}, CSV_QUERIES),
    ],
)
def test_query_count_is_pinned_and_does_not_grow_with_specs(
    client, reviewed_spec, people, name, params, pinned
):
    submit(reviewed_spec, people["aisha"])
    url = reverse(name)

    def counts() -> dict[str, int]:
        found = {}
        for who in ("jonas", "aisha"):  # a reviewer, and the author ("my specs" filled)
            client.force_login(people[who])
            found[who] = queries_for(client, url, params)
        return found

    counts()  # warm the content-type cache
    few = counts()
    for index in range(6):
        spec = ledger(f"ledger-{index}", people)
        actions.sign_off(
            spec=spec,
            area="Security/Privacy",
            role="A",
            decision="approve",
            comment="",
            by=people["sofia"],
            expected_version=1,
        )
    assert counts() == few
    assert max(few.values()) == pinned


def test_htmx_partial_query_count(client, reviewed_spec, people, django_assert_max_num_queries):
    client.force_login(people["aisha"])
    with django_assert_max_num_queries(5):  # session, user, profiles, page, total
        response = client.get(reverse("reviews:home"), {"partial": "specs"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="specs"') and "<h1>" not in html
    assert f'href="{reviewed_spec.get_absolute_url()}"' in html and "Ledger export" in html


def test_trends_page_draws_the_charts(client, reviewed_spec, people):
    submit(reviewed_spec, people["aisha"])
    client.force_login(people["aisha"])
    response = client.get(reverse("reviews:dashboard_trends"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<svg class="chart') == 3
    assert 'class="series-in_review"' in html  # Ledger export, in review this week
    assert "style=" not in html.split("<main", 1)[1]  # the CSP allows no inline style
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_trends_partial_is_the_charts_alone(client, reviewed_spec, people):
    client.force_login(people["aisha"])
    response = client.get(
        reverse("reviews:dashboard_trends"), {"state": "draft"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="charts"') and "<h1>" not in html


def test_trends_never_count_other_peoples_specs(client, reviewed_spec, people):
    submit(reviewed_spec, people["aisha"])
    client.force_login(people["outsider"])
    html = client.get(reverse("reviews:dashboard_trends"), HTTP_HX_REQUEST="true").content.decode()
    assert "<dt>In review now</dt><dd>0</dd>" in html
    assert 'class="series-in_review"' not in html
    client.force_login(people["jonas"])  # a reviewer sees it
    html = client.get(reverse("reviews:dashboard_trends"), HTTP_HX_REQUEST="true").content.decode()
    assert "<dt>In review now</dt><dd>1</dd>" in html


def test_csv_export_streams_the_filtered_rows(client, reviewed_spec, people, make_spec):
    make_spec("draft-only", owner=people["aisha"])
    submit(reviewed_spec, people["aisha"])
    client.force_login(people["aisha"])
    response = client.get(reverse("reviews:dashboard_export"), {"state": "in_review"})
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = csv_of(response)
    assert header[:4] == ["slug", "title", "template", "state"]
    assert [r[0] for r in rows] == ["ledger-export"]
    assert len(csv_of(client.get(reverse("reviews:dashboard_export")))) == 3


def test_dashboard_requires_login(client):
    for name in ("reviews:home", "reviews:dashboard_trends", "reviews:dashboard_export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
