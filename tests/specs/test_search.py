"""Search finds what people wrote, ranked, as they type, and never what they may not see."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from reviews import actions
from specs import actions as spec_actions
from specs import search
from specs.models import Spec
from specs.permissions import SpecAction, grant

pytestmark = pytest.mark.django_db


def fresh(spec):
    return Spec.objects.with_current_version().get(pk=spec.pk)


@pytest.fixture
def discussed(reviewed_spec, people):
    actions.add_comment(
        spec=reviewed_spec,
        by=people["jonas"],
        body="What about idempotent retries <script>alert(1)</script> for the exporter?",
        expected_version=1,
        line_start=5,
        line_end=5,
        section="",
        blocking=False,
    )
    actions.record_decision(
        spec=reviewed_spec,
        by=people["jonas"],
        expected_version=1,
        date=datetime.date(2026, 10, 1),
        request="Quarterly reconciliation report",
        source="Finance",
        decision="Deferred",
        rationale="Auditors asked for it after the pilot",
        trade_off="One more scheduled job",
    )
    return reviewed_spec


def titles(hits):
    return {(hit.title, hit.kind) for hit in hits}


def test_a_phrase_inside_a_comment_and_a_decision_is_found(discussed, people):
    assert ("Ledger export", "comment") in titles(
        search.search(people["jonas"], "idempotent retries")
    )
    hits = search.search(people["jonas"], "quarterly reconciliation")
    assert ("Ledger export", "decision") in titles(hits)
    decision = next(hit for hit in hits if hit.kind == "decision")
    assert decision.url.endswith(f"#{decision.anchor}") and decision.anchor.startswith("decision-")
    assert any(matched for _, matched in decision.snippet)


def test_prefix_as_you_type_and_sections_of_the_latest_version(discussed, people):
    hits = search.search(people["jonas"], "reconcil")
    assert ("Ledger export", "decision") in titles(hits)
    sections = search.search(people["jonas"], "auditors")
    assert any(hit.kind == "section" and hit.heading == "Context" for hit in sections)
    context = next(hit for hit in sections if hit.heading == "Context")
    assert context.anchor == "spec-context"


def test_a_spec_the_user_cannot_open_never_shows(discussed, people, make_spec):
    make_spec(
        "secret-plan", owner=people["outsider"], data=b"# Secret\n\n## Context\n\nAuditors.\n"
    )
    jonas = {hit.title for hit in search.search(people["jonas"], "auditors")}
    outsider = {hit.title for hit in search.search(people["outsider"], "auditors")}
    assert jonas == {"Ledger export"} and outsider == {"Secret Plan"}
    assert search.search(people["outsider"], "idempotent retries") == []


def test_old_versions_only_on_request(discussed, people):
    spec_actions.upload_version(
        spec=discussed,
        data=b"# Ledger export\n\n## Context\n\nFinance exports ledgers.\n",
        uploaded_by=people["aisha"],
    )
    assert not any(h.kind == "section" for h in search.search(people["jonas"], "auditors"))
    old = search.search(people["jonas"], "auditors", search.Filters(all_versions=True))
    assert any(hit.kind == "section" and hit.version_number == 1 for hit in old)


def test_filters_by_state_template_area_and_person(discussed, people):
    def found(**filters):
        return bool(search.search(people["jonas"], "reconciliation", search.Filters(**filters)))

    assert found(state="draft") and not found(state="approved")
    assert found(profile="generic") and not found(profile="tech-spec")
    assert found(area="Engineering") and not found(area="Legal")
    assert found(person="jonas") and not found(person="kenji")


def test_the_page_escapes_snippets_and_pins_its_queries(
    client, discussed, people, django_assert_num_queries
):
    client.force_login(people["jonas"])
    url = reverse("specs:search")
    with django_assert_num_queries(3):  # session, user, the search itself
        response = client.get(url, {"q": "idempotent"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="search-results"')
    assert "<mark>idempotent</mark>" in html
    assert "<script>" not in html and "alert(1)" in html  # text kept, never markup
    page = client.get(url, {"q": "idempotent"}).content.decode()
    assert 'role="search"' in page and "Ledger export" in page


def test_an_administrator_finds_every_spec_without_the_permission_check(
    discussed, people, make_user
):
    root = make_user("root", is_superuser=True)
    assert {hit.title for hit in search.search(root, "auditors")} == {"Ledger export"}
    root.is_superuser = False
    root.save(update_fields=["is_superuser"])
    assert search.search(root, "auditors") == []  # no grant: the query's own check applies


def test_a_group_grant_shows_a_spec_and_a_deactivated_account_sees_nothing(
    discussed, people, make_user
):
    member = make_user("member")
    group = Group.objects.create(name="finance")
    grant(discussed, group, SpecAction.VIEW)
    assert search.search(member, "auditors") == []
    member.groups.add(group)
    assert {hit.title for hit in search.search(member, "auditors")} == {"Ledger export"}
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert search.search(member, "auditors") == []
