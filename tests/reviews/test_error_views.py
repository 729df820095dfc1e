import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_refused_htmx_request_gets_a_notice_not_a_page(client, reviewed_spec, people):
    client.force_login(people["priya"])  # Informed: may read, may not review
    response = client.post(
        reverse("reviews:sign_off", args=[reviewed_spec.slug]),
        {"version": 1, "area": "Engineering", "role": "A", "decision": "approve"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    assert response["HX-Retarget"] == "#htmx-notices"
    body = response.content.decode()
    assert body.startswith('<p class="message message-error"') and "<html" not in body
    assert "review permission" in body


def test_a_refused_browser_request_gets_the_full_page_with_the_reason(
    client, reviewed_spec, people
):
    client.force_login(people["priya"])
    response = client.post(
        reverse("reviews:sign_off", args=[reviewed_spec.slug]),
        {"version": 1, "area": "Engineering", "role": "A", "decision": "approve"},
    )
    assert response.status_code == 403
    assert b"<html" in response.content and b"review permission" in response.content


def test_htmx_requests_for_hidden_specs_get_a_404_notice(client, reviewed_spec, people):
    client.force_login(people["outsider"])
    response = client.get(
        reverse("reviews:spec", args=[reviewed_spec.slug]) + "?partial=gates",
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 404
    assert response["HX-Retarget"] == "#htmx-notices"
