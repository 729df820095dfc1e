"""The change stamp open review pages poll (issue 11): one query when nothing changed."""

import pytest
from django.urls import reverse

from reviews import actions
from reviews.views.answers import LIVE_PANELS
from specs.models import Spec

pytestmark = pytest.mark.django_db


def changes(client, spec, since=None):
    url = reverse("reviews:spec_changes", args=[spec.slug])
    return client.get(url, {"since": since} if since else {})


def test_nothing_new_is_204_in_one_query(client, reviewed_spec, people, django_assert_num_queries):
    client.force_login(people["jonas"])
    stamp = changes(client, reviewed_spec).json()["stamp"]
    client.get("/")  # the session and user are loaded once per request, outside the stamp
    with django_assert_num_queries(3):  # session, user, and the stamp itself
        response = changes(client, reviewed_spec, stamp)
    assert response.status_code == 204


def test_someone_elses_step_changes_the_stamp_and_names_the_panels(client, reviewed_spec, people):
    client.force_login(people["jonas"])
    stamp = changes(client, reviewed_spec).json()["stamp"]
    actions.transition(
        spec=reviewed_spec,
        name="submit",
        by=people["aisha"],
        expected_row_version=Spec.objects.get(pk=reviewed_spec.pk).row_version,
    )
    response = changes(client, reviewed_spec, stamp)
    assert response.status_code == 200
    body = response.json()
    assert body["stamp"] != stamp
    assert body["panels"] == list(LIVE_PANELS)
    assert "header" in body["panels"]


def test_the_header_partial_follows_the_state(client, reviewed_spec, people):
    client.force_login(people["jonas"])
    url = reverse("reviews:spec_version", args=[reviewed_spec.slug, 1])
    response = client.get(url, {"partial": "header"}, HTTP_HX_REQUEST="true")
    assert response.content.decode().lstrip().startswith('<p class="meta" id="spec-status"')
    assert "Draft" in response.content.decode()


def test_the_unseen_and_the_unknown_get_404(client, reviewed_spec, people):
    client.force_login(people["outsider"])
    assert changes(client, reviewed_spec).status_code == 404
    assert changes(client, reviewed_spec, "a-guessed-stamp").status_code == 404
    client.force_login(people["jonas"])
    assert client.get(reverse("reviews:spec_changes", args=["no-such-spec"])).status_code == 404
