"""The review page's conditional GET (reviews.views.spec_page): 304 only when nothing changed."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.session import SessionStorage
from django.http import HttpResponse
from django.urls import reverse

from reviews import actions
from specs import permissions
from specs.models import Spec

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, reviewed_spec, people):
    client.force_login(people["jonas"])
    url = reverse("reviews:spec", args=[reviewed_spec.slug])
    assert client.get(url).status_code == 200  # the first look sets the CSRF cookie
    return client, url


def fresh_etag(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    return response["ETag"]


def test_unchanged_page_is_304_in_few_queries(page, django_assert_max_num_queries):
    client, url = page
    etag = fresh_etag(client, url)
    # session, user, spec with its grants and change stamp: no page is assembled.
    with django_assert_max_num_queries(3):
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""


def test_a_comment_by_someone_else_changes_the_page(page, reviewed_spec, people):
    client, url = page
    etag = fresh_etag(client, url)
    permissions.grant(reviewed_spec, people["sofia"], permissions.SpecAction.REVIEW)
    actions.add_comment(
        spec=reviewed_spec, by=people["sofia"], body="Why?", expected_version=1, line_start=1
    )
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Why?" in response.content.decode()
    assert response["ETag"] != etag


def test_a_workflow_step_changes_the_page(page, reviewed_spec, people):
    client, url = page
    etag = fresh_etag(client, url)
    actions.transition(
        spec=reviewed_spec,
        name="submit",
        by=people["aisha"],
        expected_row_version=Spec.objects.get(pk=reviewed_spec.pk).row_version,
    )
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_validator_is_per_person(page, reviewed_spec, people, client):
    client, url = page
    etag = fresh_etag(client, url)
    client.force_login(people["aisha"])
    fresh_etag(client, url)  # her own CSRF cookie now stays; her page is still hers
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_losing_access_is_404_not_304(page, reviewed_spec, people):
    client, url = page
    etag = fresh_etag(client, url)
    outsider = people["outsider"]
    client.force_login(outsider)
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_no_validator_while_a_message_waits(page, rf, reviewed_spec):
    client, url = page
    etag = fresh_etag(client, url)
    session = client.session
    request = rf.get("/")
    request.session = session
    storage = SessionStorage(request)
    storage.add(messages.SUCCESS, "Signed off.")
    storage.update(HttpResponse())
    session.save()
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert not response.has_header("ETag")
