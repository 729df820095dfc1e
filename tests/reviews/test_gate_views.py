"""The quality gate as one checklist form: tick several items, save once (issue 11)."""

import pytest
from django.urls import reverse

from reviews import actions
from reviews.models import GateCheck
from reviews.snapshot import load_review
from specs.models import Profile, Spec

pytestmark = pytest.mark.django_db


@pytest.fixture
def gated_spec(people, make_spec):
    """A feature-spec (a checklist) by Aisha with Jonas Accountable for Engineering."""
    spec = make_spec(
        "feature", owner=people["aisha"], profile=Profile.objects.get(name="feature-spec")
    )
    actions.assign_raci(
        spec=spec,
        area="Engineering",
        role="A",
        user=people["jonas"],
        by=people["aisha"],
        expected_row_version=Spec.objects.get(pk=spec.pk).row_version,
    )
    return Spec.objects.with_current_version().get(pk=spec.pk)


def items_of(spec):
    return [item.key for item in load_review(spec).gate_items]


def post_ticks(client, spec, ticks, state="checked", reason="", **headers):
    return client.post(
        reverse("reviews:tick_gates", args=[spec.slug]),
        {"version": 1, "tick": ticks, "state": state, "reason": reason},
        **headers,
    )


def test_the_page_shows_one_checklist_form_with_a_box_per_item(client, gated_spec, people):
    client.force_login(people["jonas"])
    html = client.get(gated_spec.get_absolute_url()).content.decode()
    assert html.count('id="gate-form"') == 1
    for key in items_of(gated_spec):
        assert f'name="tick" value="0:{key}"' in html
    assert "Save ticked items" in html


def test_the_author_sees_the_checklist_without_a_form(client, gated_spec, people):
    client.force_login(people["aisha"])
    html = client.get(gated_spec.get_absolute_url()).content.decode()
    assert 'id="gate-form"' not in html
    assert 'name="tick"' not in html


def test_several_items_saved_at_once_answer_the_fresh_panel(client, gated_spec, people):
    client.force_login(people["jonas"])
    keys = items_of(gated_spec)
    response = post_ticks(client, gated_spec, [f"0:{k}" for k in keys], HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Saved {len(keys)} gate items." in html
    assert html.lstrip().startswith('<section id="gates-panel"')
    assert "refresh-timeline" in response["HX-Trigger"]
    assert set(GateCheck.objects.values_list("item", "revision")) == {(k, 1) for k in keys}


def test_a_stale_item_is_409_with_the_fresh_state_and_nothing_written(client, gated_spec, people):
    first, second = items_of(gated_spec)[:2]
    actions.tick_gate(
        spec=gated_spec,
        item=second,
        state="checked",
        reason="",
        by=people["jonas"],
        expected_version=1,
        expected_revision=0,
    )
    client.force_login(people["jonas"])
    response = post_ticks(client, gated_spec, [f"0:{first}", f"0:{second}"], HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    html = response.content.decode()
    assert "changed by someone else" in html
    assert f'value="1:{second}"' in html  # the fresh revision, ready to save again
    assert not GateCheck.objects.filter(item=first).exists()


def test_nothing_ticked_or_na_without_reason_is_422(client, gated_spec, people):
    client.force_login(people["jonas"])
    first = items_of(gated_spec)[0]
    assert post_ticks(client, gated_spec, [], HTTP_HX_REQUEST="true").status_code == 422
    response = post_ticks(client, gated_spec, [f"0:{first}"], state="na", HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "N/A needs a reason." in response.content.decode()
    assert post_ticks(client, gated_spec, ["x:y"], HTTP_HX_REQUEST="true").status_code == 422
    assert not GateCheck.objects.exists()


def test_the_author_is_refused_403(client, gated_spec, people):
    client.force_login(people["aisha"])
    first = items_of(gated_spec)[0]
    assert post_ticks(client, gated_spec, [f"0:{first}"]).status_code == 403
    assert not GateCheck.objects.exists()


def test_a_plain_form_post_redirects_back(client, gated_spec, people):
    client.force_login(people["jonas"])
    first = items_of(gated_spec)[0]
    response = post_ticks(client, gated_spec, [f"0:{first}"])
    assert response.status_code == 302
    assert response["Location"] == gated_spec.get_absolute_url()
