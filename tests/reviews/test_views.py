import datetime

import pytest
from django.urls import reverse

from reviews import actions
from reviews.models import SignOff
from specs import actions as spec_actions
from specs.models import Spec
from tests.conftest import RACI_SPEC

pytestmark = pytest.mark.django_db

# 15 before comments; +4 for them: the open blocking count (in load_review), the threads'
# places (a few columns each), the sources of older versions whose open threads are re-anchored,
# and the margin's first groups in full with authors and replies (reviews.comments.threads).
# Issue 15: -2, the grants come with the spec; +1, the change stamp behind the page's ETag.
# Then (ADR 0018) this is the page as built for a new state: -1, the stamp and last look come
# with the spec; +1, the comments' writers (the margin's facet); +1, what a later reader's
# spec query leaves out (the version's build-only columns, the template and author: two).
# A later reader of the same state costs 3 (tests/reviews/test_page_cache.py).
REVIEW_PAGE_QUERIES = 19


def row_version(spec):
    return Spec.objects.get(pk=spec.pk).row_version


def submit(spec, people):
    actions.transition(
        spec=spec, name="submit", by=people["aisha"], expected_row_version=row_version(spec)
    )


def test_review_page_shows_every_panel_with_reasons_next_to_disabled_buttons(
    client, reviewed_spec, people
):
    submit(reviewed_spec, people)
    client.force_login(people["jonas"])
    html = client.get(reverse("reviews:spec", args=[reviewed_spec.slug])).content.decode()
    for panel in (
        "actions-panel",
        "signoffs-panel",
        "gates-panel",
        "lint-panel",
        "decisions-panel",
        "raci-panel",
        "timeline-panel",
    ):
        assert f'id="{panel}"' in html
    assert "Security/Privacy: Accountable (Sofia Rossi) has not approved v1" in html
    assert "Grace Hopper (Finance)" in html  # unmatched name shown to fix
    assert "Your sign-off: Engineering (Accountable)" in html


def test_sign_off_partial_updates_in_place_and_tells_other_panels(client, reviewed_spec, people):
    submit(reviewed_spec, people)
    client.force_login(people["jonas"])
    response = client.post(
        reverse("reviews:sign_off", args=[reviewed_spec.slug]),
        {"version": 1, "area": "Engineering", "role": "A", "decision": "approve", "comment": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    refreshed = set(response["HX-Trigger"].split(", "))
    assert {"refresh-actions", "refresh-gates", "refresh-timeline"} <= refreshed
    assert "refresh-signoffs" not in refreshed  # it came back fresh, with its message
    assert response.content.decode().lstrip().startswith('<section id="signoffs-panel"')
    assert SignOff.objects.filter(user=people["jonas"], decision="approve").exists()


def test_plain_form_post_redirects_back_with_a_message(client, reviewed_spec, people):
    submit(reviewed_spec, people)
    client.force_login(people["jonas"])
    response = client.post(
        reverse("reviews:sign_off", args=[reviewed_spec.slug]),
        {"version": 1, "area": "Engineering", "role": "A", "decision": "approve", "comment": ""},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("reviews:spec", args=[reviewed_spec.slug])
    assert "Sign-off recorded for Engineering." in response.content.decode()


def test_request_changes_without_a_comment_is_422_and_writes_nothing(client, reviewed_spec, people):
    submit(reviewed_spec, people)
    client.force_login(people["sofia"])
    response = client.post(
        reverse("reviews:sign_off", args=[reviewed_spec.slug]),
        {
            "version": 1,
            "area": "Security/Privacy",
            "role": "A",
            "decision": "request_changes",
            "comment": " ",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "comment is required" in response.content.decode()
    assert not SignOff.objects.exists()


def test_signing_someone_elses_slot_is_403(client, reviewed_spec, people):
    submit(reviewed_spec, people)
    client.force_login(people["jonas"])
    response = client.post(
        reverse("reviews:sign_off", args=[reviewed_spec.slug]),
        {
            "version": 1,
            "area": "Security/Privacy",
            "role": "A",
            "decision": "approve",
            "comment": "",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    assert not SignOff.objects.exists()


def test_self_approval_is_403_with_the_reason(client, reviewed_spec, people):
    submit(reviewed_spec, people)
    client.force_login(people["aisha"])
    response = client.post(
        reverse("reviews:transition", args=[reviewed_spec.slug]),
        {"name": "approve", "row_version": row_version(reviewed_spec)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    assert Spec.objects.get(pk=reviewed_spec.pk).state == "in_review"


def test_a_stale_form_gets_409_and_the_fresh_state(client, reviewed_spec, people):
    submit(reviewed_spec, people)
    spec_actions.upload_version(
        spec=reviewed_spec, data=(RACI_SPEC + "\nMore.\n").encode(), uploaded_by=people["aisha"]
    )
    client.force_login(people["jonas"])
    response = client.post(
        reverse("reviews:sign_off", args=[reviewed_spec.slug]),
        {"version": 1, "area": "Engineering", "role": "A", "decision": "approve", "comment": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "moved on to v2" in html
    assert "Sign-offs on v2" in html  # the fresh panel, ready to sign again
    assert not SignOff.objects.exists()


def test_outsiders_get_404_for_page_and_every_action(client, reviewed_spec, people):
    client.force_login(people["outsider"])
    assert client.get(reverse("reviews:spec", args=[reviewed_spec.slug])).status_code == 404
    for name in (
        "reviews:transition",
        "reviews:sign_off",
        "reviews:tick_gate",
        "reviews:record_decision",
        "reviews:assign_raci",
        "reviews:carry_over_gates",
    ):
        assert client.post(reverse(name, args=[reviewed_spec.slug]), {}).status_code == 404, name


def test_informed_people_may_read_but_not_act(client, reviewed_spec, people):
    client.force_login(people["priya"])
    assert client.get(reverse("reviews:spec", args=[reviewed_spec.slug])).status_code == 200
    response = client.post(
        reverse("reviews:record_decision", args=[reviewed_spec.slug]),
        {
            "version": 1,
            "date": "2026-10-01",
            "request": "x",
            "source": "y",
            "decision": "Approved",
            "rationale": "r",
            "trade_off": "t",
        },
    )
    assert response.status_code == 403


def test_review_page_queries_do_not_grow_with_areas_signoffs_decisions_comments_or_versions(
    client, reviewed_spec, people, django_assert_max_num_queries
):
    url = reverse("reviews:spec", args=[reviewed_spec.slug])
    client.force_login(people["jonas"])
    with django_assert_max_num_queries(REVIEW_PAGE_QUERIES):
        assert client.get(url).status_code == 200
    submit(reviewed_spec, people)
    for index in range(6):
        actions.assign_raci(
            spec=reviewed_spec,
            area=f"Area {index}",
            role="A",
            user=people["jonas"],
            by=people["aisha"],
            expected_row_version=row_version(reviewed_spec),
        )
    for number in range(2, 6):
        spec_actions.upload_version(
            spec=reviewed_spec,
            data=(RACI_SPEC + f"\nRevision {number}.\n").encode(),
            uploaded_by=people["aisha"],
        )
        for index in range(6):
            actions.sign_off(
                spec=reviewed_spec,
                area=f"Area {index}",
                role="A",
                decision="approve",
                comment="",
                by=people["jonas"],
                expected_version=number,
            )
        actions.record_decision(
            spec=reviewed_spec,
            by=people["jonas"],
            expected_version=number,
            date=datetime.date(2026, 10, number),
            request=f"Request {number}",
            source="Review",
            decision="Approved",
            rationale="r",
            trade_off="t",
        )
        # Comments on every version: the page re-anchors the open ones onto the latest.
        root = actions.add_comment(
            spec=reviewed_spec,
            by=people["jonas"],
            body=f"On v{number}, @sofia",
            expected_version=number,
            line_start=1,
            line_end=3,
            blocking=number % 2 == 0,
        )
        actions.reply(spec=reviewed_spec, parent=root, by=people["aisha"], body="Noted.")
    with django_assert_max_num_queries(REVIEW_PAGE_QUERIES):
        assert client.get(url).status_code == 200


def test_a_panel_refresh_loads_only_what_that_panel_shows(
    client, reviewed_spec, people, django_assert_max_num_queries
):
    client.force_login(people["jonas"])
    url = reverse("reviews:spec", args=[reviewed_spec.slug])
    # session, user, spec with its grants: the rendering poll needs nothing else.
    with django_assert_max_num_queries(3):
        assert client.get(url + "?partial=rendered", HTTP_HX_REQUEST="true").status_code == 200
    with django_assert_max_num_queries(4):  # ...and the timeline its events
        assert client.get(url + "?partial=timeline", HTTP_HX_REQUEST="true").status_code == 200
