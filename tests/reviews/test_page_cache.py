"""The review page's parts kept per spec state (reviews.page_cache, the statecache tag): later
readers of an unchanged spec cost the floor's queries, every review action shows at once, and
nothing one person may do or own leaks into another's page."""

import datetime

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from reviews import actions, page_cache
from reviews.models import Comment
from reviews.snapshot import load_review
from specs import actions as spec_actions
from specs.models import Spec
from tests.conftest import RACI_SPEC

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed_spec(people):
    """The usual RACI spec (Jonas and Sofia accountable, Priya informed), on a template with a
    quality gate."""
    from specs.models import Profile

    spec = spec_actions.create_spec(
        title="Ledger export",
        slug="ledger-export",
        profile=Profile.objects.get(name="feature-spec"),
        author=people["aisha"],
    )
    spec_actions.upload_version(spec=spec, data=RACI_SPEC.encode(), uploaded_by=people["aisha"])
    spec.refresh_from_db()
    return spec


def row_version(spec) -> int:
    return Spec.objects.get(pk=spec.pk).row_version


def submit(spec, people) -> None:
    actions.transition(
        spec=spec, name="submit", by=people["aisha"], expected_row_version=row_version(spec)
    )


def look(client, user, spec) -> str:
    client.force_login(user)
    response = client.get(reverse("reviews:spec", args=[spec.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_later_reader_of_an_unchanged_spec_costs_the_floors_queries(
    client, reviewed_spec, people, django_assert_num_queries
):
    submit(reviewed_spec, people)
    for number in range(2, 5):
        spec_actions.upload_version(
            spec=reviewed_spec,
            data=(RACI_SPEC + f"\nRevision {number}.\n").encode(),
            uploaded_by=people["aisha"],
        )
        root = actions.add_comment(
            spec=reviewed_spec,
            by=people["jonas"],
            body=f"On v{number}",
            expected_version=number,
            line_start=1,
            line_end=2,
        )
        actions.reply(spec=reviewed_spec, parent=root, by=people["aisha"], body="Noted.")
    look(Client(), people["jonas"], reviewed_spec)  # the first reader builds the state's parts
    look(client, people["sofia"], reviewed_spec)  # sofia's first look is recorded
    url = reverse("reviews:spec", args=[reviewed_spec.slug])
    with django_assert_num_queries(3):  # session, user, the spec with grants, stamp, last look
        html = client.get(url).content.decode()
    assert "On v4" in html and "Noted." in html and "Revision 4" in html


def test_the_state_is_built_once_for_all_readers(client, reviewed_spec, people):
    caches["fragments"].clear()
    look(client, people["jonas"], reviewed_spec)
    kept = len(caches["fragments"]._cache)  # type: ignore[attr-defined]  # locmem's own dict
    assert kept > 0
    look(client, people["priya"], reviewed_spec)
    look(client, people["lukas"], reviewed_spec)
    # Priya reads and Lukas reviews: only the parts that vary with what one may do differ.
    assert len(caches["fragments"]._cache) <= kept + 6  # type: ignore[attr-defined]


def comment(spec, people):
    return actions.add_comment(
        spec=spec,
        by=people["sofia"],
        body="Which store keeps this?",
        expected_version=1,
        line_start=1,
    )


ACTIONS = {
    "sign-off": (
        lambda spec, people: actions.sign_off(
            spec=spec,
            area="Engineering",
            role="A",
            decision="approve",
            comment="Fine by engineering",
            by=people["jonas"],
            expected_version=1,
        ),
        "Fine by engineering",
    ),
    "gate tick": (
        lambda spec, people: actions.tick_gates(
            spec=spec,
            items=[(load_review(spec).gate_items[0].key, 0)],
            state="na",
            reason="Nothing stored here",
            by=people["jonas"],
            expected_version=1,
        ),
        "Nothing stored here",
    ),
    "decision": (
        lambda spec, people: actions.record_decision(
            spec=spec,
            by=people["jonas"],
            expected_version=1,
            date=datetime.date(2026, 10, 2),
            request="CSV export too",
            source="Finance",
            decision="Deferred",
            rationale="Later",
            trade_off="None",
        ),
        "CSV export too",
    ),
    "RACI": (
        lambda spec, people: actions.assign_raci(
            spec=spec,
            area="Operations",
            role="C",
            user=people["outsider"],
            by=people["aisha"],
            expected_row_version=row_version(spec),
        ),
        "Operations",
    ),
    "comment": (lambda spec, people: comment(spec, people), "Which store keeps this?"),
    "resolve": (
        lambda spec, people: actions.resolve(
            spec=spec,
            comment=Comment.objects.get(body="An earlier question"),
            by=people["sofia"],
            expected_revision=Comment.objects.get(body="An earlier question").revision,
        ),
        "Resolved by Sofia",
    ),
}


@pytest.mark.parametrize("name", list(ACTIONS))
def test_every_review_action_shows_to_the_next_reader(client, reviewed_spec, people, name):
    submit(reviewed_spec, people)
    actions.add_comment(
        spec=reviewed_spec,
        by=people["sofia"],
        body="An earlier question",
        expected_version=1,
        line_start=3,
    )
    act, shown = ACTIONS[name]
    assert shown not in look(client, people["priya"], reviewed_spec)
    act(Spec.objects.get(pk=reviewed_spec.pk), people)
    assert shown in look(client, people["priya"], reviewed_spec)


def test_what_one_may_do_is_not_shared_with_a_reader_who_may_not(client, reviewed_spec, people):
    submit(reviewed_spec, people)
    comment(reviewed_spec, people)
    reviewer = look(Client(), people["jonas"], reviewed_spec)  # builds the state's parts first
    writer = look(Client(), people["sofia"], reviewed_spec)
    reader = look(client, people["priya"], reviewed_spec)
    assert 'id="gate-form"' in reviewer and 'id="gate-form"' not in reader
    assert "Record a decision" in reviewer and "Record a decision" not in reader
    assert 'id="comment-form"' in reviewer and 'id="comment-form"' not in reader
    # Only who wrote a comment settles it: Sofia's thread has her Resolve button, no one else's.
    assert ">Resolve</button>" in writer
    assert ">Resolve</button>" not in reviewer and ">Resolve</button>" not in reader


def test_each_reader_gets_their_own_csrf_token_in_kept_forms(reviewed_spec, people):
    submit(reviewed_spec, people)
    jonas, sofia = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    look(jonas, people["jonas"], reviewed_spec)
    html = look(sofia, people["sofia"], reviewed_spec)  # the kept parts were built for Jonas
    assert page_cache.CSRF_PLACEHOLDER not in html
    token = html.split('name="csrfmiddlewaretoken" value="', 2)[2].split('"', 1)[0]
    response = sofia.post(
        reverse("reviews:record_decision", args=[reviewed_spec.slug]),
        {
            "csrfmiddlewaretoken": token,
            "version": 1,
            "date": "2026-10-01",
            "request": "From a kept form",
            "source": "Review",
            "decision": "Approved",
            "rationale": "r",
            "trade_off": "t",
        },
    )
    assert response.status_code in (200, 302)
    assert "From a kept form" in look(sofia, people["sofia"], reviewed_spec)


def test_two_reviewers_each_see_only_their_own_sign_off_slots(reviewed_spec, people):
    submit(reviewed_spec, people)
    jonas = look(Client(), people["jonas"], reviewed_spec)
    sofia = look(Client(), people["sofia"], reviewed_spec)
    assert "Your sign-off: Engineering (Accountable)" in jonas
    assert "Your sign-off: Security/Privacy" not in jonas
    assert "Your sign-off: Security/Privacy (Accountable)" in sofia
    assert "Your sign-off: Engineering" not in sofia


def test_the_last_look_line_belongs_to_its_reader(reviewed_spec, people):
    submit(reviewed_spec, people)
    look(Client(), people["jonas"], reviewed_spec)  # Jonas has seen v1
    spec_actions.upload_version(
        spec=reviewed_spec, data=(RACI_SPEC + "\nMore.\n").encode(), uploaded_by=people["aisha"]
    )
    assert "You last looked at v1" in look(Client(), people["jonas"], reviewed_spec)
    assert "You last looked at" not in look(Client(), people["sofia"], reviewed_spec)


def test_after_an_action_each_open_page_refreshes_its_panels_from_the_first_readers_parts(
    reviewed_spec, people, django_assert_num_queries, django_assert_max_num_queries
):
    submit(reviewed_spec, people)
    jonas, priya = Client(), Client()
    look(jonas, people["jonas"], reviewed_spec)
    look(priya, people["priya"], reviewed_spec)
    comment(reviewed_spec, people)  # live updates tell both pages to refresh their panels
    url = reverse("reviews:spec", args=[reviewed_spec.slug]) + "?partial=timeline"
    with django_assert_max_num_queries(4):  # the first: session, user, spec, the events
        first = jonas.get(url, HTTP_HX_REQUEST="true").content.decode()
    with django_assert_num_queries(3):  # the next: session, user, spec
        second = priya.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert second == first and "comment" in second
    assert page_cache.CSRF_PLACEHOLDER not in second


def test_the_compiled_page_read_decides_as_get_spec_for(reviewed_spec, people, make_user):
    """page_cache.page_spec reads the spec, its grants and stamp in one statement compiled
    once; whoever reads, it must answer as permissions.get_spec_for does (or 404 alike)."""
    from django.contrib.auth.models import Group
    from django.http import Http404

    from specs import permissions

    admin = make_user("root", is_superuser=True, is_staff=True)
    gone = make_user("gone", is_active=False)
    in_group = make_user("grouped")
    group = Group.objects.create(name="finance")
    group.user_set.add(in_group)
    permissions.grant(reviewed_spec, group, permissions.SpecAction.VIEW)
    for user in (*people.values(), admin, gone, in_group):
        try:
            expected = permissions.get_spec_for(user, reviewed_spec.slug)
        except Http404:
            with pytest.raises(Http404):
                page_cache.page_spec(user, reviewed_spec.slug)
            continue
        spec, can = page_cache.page_spec(user, reviewed_spec.slug)
        assert can == expected[1], user.username
        assert (spec.pk, spec.current_version_id, spec.row_version) == (
            expected[0].pk,
            expected[0].current_version_id,
            expected[0].row_version,
        )
        assert spec.current_version is not None and expected[0].current_version is not None
        assert spec.current_version.number == expected[0].current_version.number
    with pytest.raises(Http404):
        page_cache.page_spec(people["jonas"], "no-such-spec")
