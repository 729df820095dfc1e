"""Page, partial and forbidden tests for the RACI edits and the gate carry-over."""

import pytest
from django.urls import reverse

from reviews import actions
from reviews.models import GateCheck, RaciAssignment
from specs import actions as spec_actions
from specs.models import Profile, Spec
from tests.conftest import RACI_SPEC

pytestmark = pytest.mark.django_db


def row_version(spec):
    return Spec.objects.get(pk=spec.pk).row_version


def post(client, user, name, spec, data, *, htmx=True):
    client.force_login(user)
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse(f"reviews:{name}", args=[spec.slug]), data, **extra)


def test_assign_answers_the_raci_panel_and_refreshes_the_others(client, reviewed_spec, people):
    data = {"area": "Support", "role": "C", "username": "diego", "row_version": 0}
    data["row_version"] = row_version(reviewed_spec)
    response = post(client, people["aisha"], "assign_raci", reviewed_spec, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="raci-panel"') and "<html" not in html
    assert "Diego Santos added to Support." in html
    assert "refresh-signoffs" in response["HX-Trigger"]
    assert RaciAssignment.objects.filter(area="Support", user=people["diego"]).exists()


def test_assign_as_a_plain_form_redirects_to_the_spec_page(client, reviewed_spec, people):
    data = {"area": "Support", "role": "C", "username": "diego"}
    data["row_version"] = row_version(reviewed_spec)
    response = post(client, people["aisha"], "assign_raci", reviewed_spec, data, htmx=False)
    assert response.status_code == 302 and response["Location"] == reviewed_spec.get_absolute_url()


def test_reviewers_may_not_edit_the_raci_and_outsiders_do_not_see_it(client, reviewed_spec, people):
    data = {"area": "Support", "role": "C", "username": "diego", "row_version": 2}
    for name in ("assign_raci", "unassign_raci", "apply_raci_proposal"):
        assert post(client, people["jonas"], name, reviewed_spec, data).status_code == 403, name
        assert post(client, people["outsider"], name, reviewed_spec, data).status_code == 404
    assert not RaciAssignment.objects.filter(area="Support").exists()


def test_unassign_removes_the_row_and_a_second_click_is_stale(client, reviewed_spec, people):
    target = RaciAssignment.objects.get(spec=reviewed_spec, role="I", area="Engineering")
    data = {"assignment": target.pk, "row_version": row_version(reviewed_spec)}
    response = post(client, people["aisha"], "unassign_raci", reviewed_spec, data)
    assert response.status_code == 200 and "Assignment removed." in response.content.decode()
    data["row_version"] = row_version(reviewed_spec)
    again = post(client, people["aisha"], "unassign_raci", reviewed_spec, data)
    assert again.status_code == 409 and "already removed" in again.content.decode()


def test_apply_proposal_takes_the_new_tables_rows(client, reviewed_spec, people):
    changed = RACI_SPEC.replace("| Engineering | Lukas Novak |", "| Engineering | Diego Santos |")
    spec_actions.upload_version(
        spec=reviewed_spec, data=changed.encode(), uploaded_by=people["aisha"]
    )
    page = client.get(reviewed_spec.get_absolute_url())  # not logged in yet: login page
    assert page.status_code == 302
    client.force_login(people["aisha"])
    assert "RACI table differs" in client.get(reviewed_spec.get_absolute_url()).content.decode()
    data = {"row_version": row_version(reviewed_spec)}
    response = post(client, people["aisha"], "apply_raci_proposal", reviewed_spec, data)
    assert "1 added, 1 removed" in response.content.decode()
    engineering_r = RaciAssignment.objects.get(spec=reviewed_spec, area="Engineering", role="R")
    assert engineering_r.user == people["diego"]


def feature_spec(people, make_spec):
    spec = make_spec(
        "feature", owner=people["aisha"], profile=Profile.objects.get(name="feature-spec")
    )
    actions.assign_raci(
        spec=spec,
        area="Engineering",
        role="A",
        user=people["jonas"],
        by=people["aisha"],
        expected_row_version=row_version(spec),
    )
    actions.tick_gate(
        spec=spec,
        item="QA",
        state="checked",
        reason="",
        by=people["jonas"],
        expected_version=1,
        expected_revision=0,
    )
    spec_actions.upload_version(
        spec=spec, data=b"# Feature\n\nchanged\n", uploaded_by=people["aisha"]
    )
    return spec


def test_carry_over_answers_the_gates_panel(client, people, make_spec):
    spec = feature_spec(people, make_spec)
    data = {"version": 2, "from_version": 1}
    response = post(client, people["jonas"], "carry_over_gates", spec, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="gates-panel"')
    assert "Carried 1 ticks over from v1." in html
    assert GateCheck.objects.get(version__number=2, item="QA").carried_from == 1


def test_carry_over_is_for_reviewers_only_and_stale_forms_get_409(client, people, make_spec):
    spec = feature_spec(people, make_spec)
    data = {"version": 2, "from_version": 1}
    assert post(client, people["aisha"], "carry_over_gates", spec, data).status_code == 403
    assert post(client, people["outsider"], "carry_over_gates", spec, data).status_code == 404
    stale = post(client, people["jonas"], "carry_over_gates", spec, {**data, "version": 1})
    assert stale.status_code == 409
    assert not GateCheck.objects.filter(version__number=2).exists()
