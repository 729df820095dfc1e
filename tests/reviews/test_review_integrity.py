"""The author never reviews their own spec, by any route; one current decision per slot."""

import threading

import pytest
from django.db import DatabaseError, connections, transaction
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from reviews import actions
from reviews.models import GateCheck, LintOverride, RaciAssignment, SignOff
from specs import actions as spec_actions
from specs import permissions
from specs.models import Profile, Spec
from tests.conftest import RACI_SPEC

pytestmark = pytest.mark.django_db


def fresh(spec):
    return Spec.objects.with_current_version().get(pk=spec.pk)


def submit(spec, by):
    actions.transition(
        spec=spec, name="submit", by=by, expected_row_version=fresh(spec).row_version
    )


def sign(spec, by, decision="approve", comment="", area="Engineering", role="A"):
    return actions.sign_off(
        spec=spec,
        area=area,
        role=role,
        decision=decision,
        comment=comment,
        by=by,
        expected_version=fresh(spec).current_version.number,
    )


# --- the author, through the actions -------------------------------------------------------


@pytest.mark.parametrize("role", ["R", "A", "C"])
def test_the_author_cannot_be_assigned_a_reviewing_role(reviewed_spec, people, role):
    with pytest.raises(actions.ReviewError, match="author cannot review"):
        actions.assign_raci(
            spec=reviewed_spec,
            area="Engineering",
            role=role,
            user=people["aisha"],
            by=people["aisha"],
            expected_row_version=fresh(reviewed_spec).row_version,
        )
    assert not RaciAssignment.objects.filter(user=people["aisha"], role=role).exists()


def test_the_author_may_be_informed(reviewed_spec, people):
    actions.assign_raci(
        spec=reviewed_spec,
        area="Engineering",
        role="I",
        user=people["aisha"],
        by=people["aisha"],
        expected_row_version=fresh(reviewed_spec).row_version,
    )
    assert not permissions.abilities(people["aisha"], fresh(reviewed_spec)).can_review


AUTHOR_AS_RESPONSIBLE = RACI_SPEC.replace(
    "| Engineering | Lukas Novak |", "| Engineering | Aisha Okafor, Lukas Novak |"
)


def test_seeding_skips_the_authors_row_and_says_so(people, generic_profile):
    spec = spec_actions.create_spec(
        title="Self", slug="self-review", profile=generic_profile, author=people["aisha"]
    )
    spec_actions.upload_version(
        spec=spec, data=AUTHOR_AS_RESPONSIBLE.encode(), uploaded_by=people["aisha"]
    )
    assert not RaciAssignment.objects.filter(spec=spec, user=people["aisha"]).exclude(role="I")
    seeded = AuditEvent.objects.get(verb="raci.seeded", spec_id=spec.pk)
    assert seeded.data["not_applied"] == [
        "Engineering R aisha: not applied: the author cannot review"
    ]


def test_applying_a_new_table_never_makes_the_author_a_reviewer(client, reviewed_spec, people):
    spec_actions.upload_version(
        spec=reviewed_spec, data=AUTHOR_AS_RESPONSIBLE.encode(), uploaded_by=people["aisha"]
    )
    client.force_login(people["aisha"])
    page = client.get(reverse("reviews:spec", args=[reviewed_spec.slug])).content.decode()
    assert "Engineering R: Aisha Okafor: not applied: the author cannot review" in " ".join(
        page.split()
    )
    response = client.post(
        reverse("reviews:apply_raci_proposal", args=[reviewed_spec.slug]),
        {"row_version": fresh(reviewed_spec).row_version},
        HTTP_HX_REQUEST="true",
    )
    # Only the author's row differs, so there is nothing to apply.
    assert response.status_code == 409
    assert not RaciAssignment.objects.filter(user=people["aisha"]).exclude(role="I").exists()


def test_the_author_cannot_sign_off_even_if_an_old_row_names_them(reviewed_spec, people):
    submit(reviewed_spec, people["aisha"])
    with pytest.raises(actions.ReviewError, match="author cannot sign off"):
        sign(reviewed_spec, people["aisha"])
    assert not SignOff.objects.exists()


def test_the_author_cannot_tick_the_gate(people, make_spec):
    spec = make_spec(
        "feature", owner=people["aisha"], profile=Profile.objects.get(name="feature-spec")
    )
    with pytest.raises(actions.ReviewError, match="author cannot tick"):
        actions.tick_gate(
            spec=spec,
            item="QA",
            state="checked",
            reason="",
            by=people["aisha"],
            expected_version=1,
            expected_revision=0,
        )
    assert not GateCheck.objects.exists()


# --- the author, through the pages ---------------------------------------------------------


def test_raci_edit_adding_the_author_is_refused_with_the_reason(client, reviewed_spec, people):
    client.force_login(people["aisha"])
    response = client.post(
        reverse("reviews:assign_raci", args=[reviewed_spec.slug]),
        {
            "area": "Engineering",
            "role": "R",
            "username": "aisha",
            "row_version": fresh(reviewed_spec).row_version,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    assert "The author cannot review their own spec" in response.content.decode()
    assert not RaciAssignment.objects.filter(user=people["aisha"]).exists()


def test_sign_off_and_gate_posts_by_the_author_are_403_with_the_reason(
    client, reviewed_spec, people
):
    submit(reviewed_spec, people["aisha"])
    client.force_login(people["aisha"])
    for name, data in (
        (
            "reviews:sign_off",
            {"version": 1, "area": "Engineering", "role": "A", "decision": "approve"},
        ),
        ("reviews:tick_gate", {"version": 1, "item": "QA", "state": "checked", "revision": 0}),
    ):
        response = client.post(
            reverse(name, args=[reviewed_spec.slug]), data, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 403, name
        assert permissions.AUTHOR_CANNOT_REVIEW in response.content.decode(), name
    assert not SignOff.objects.exists() and not GateCheck.objects.exists()


# --- the author, past the application (admin, shell, a future bug) --------------------------


def test_the_database_refuses_the_author_in_a_reviewing_slot(reviewed_spec, people):
    with pytest.raises(DatabaseError, match="author of a spec cannot hold"), transaction.atomic():
        RaciAssignment.objects.create(
            spec=reviewed_spec, area="X", role="C", user=people["aisha"], created_at=timezone.now()
        )


def test_the_database_refuses_the_authors_sign_off_tick_and_override(reviewed_spec, people):
    version = fresh(reviewed_spec).current_version
    now = timezone.now()
    writes = {
        "sign off": lambda: SignOff.objects.create(
            version=version,
            area="E",
            role="R",
            user=people["aisha"],
            decision="approve",
            recorded_at=now,
        ),
        "tick its quality gate": lambda: GateCheck.objects.create(
            version=version, item="QA", position=0, state="checked", by=people["aisha"], at=now
        ),
        "override its lint": lambda: LintOverride.objects.create(
            version=version,
            reason="because",
            recorded_by=people["aisha"],
            recorded_at=now,
            errors_at_override=1,
        ),
    }
    for what, write in writes.items():
        with pytest.raises(DatabaseError, match=what), transaction.atomic():
            write()


def test_review_grants_never_reach_the_author(reviewed_spec, people):
    permissions.grant(reviewed_spec, people["aisha"], permissions.SpecAction.REVIEW)
    can = permissions.abilities(people["aisha"], fresh(reviewed_spec))
    assert not can.can_review and not can.can_approve
    reviewable = permissions.specs_for(people["aisha"], permissions.SpecAction.REVIEW)
    assert not reviewable.filter(pk=reviewed_spec.pk).exists()


# --- one current decision per person, version and slot --------------------------------------


def test_signing_the_same_slot_again_replaces_the_decision_and_keeps_history(reviewed_spec, people):
    submit(reviewed_spec, people["aisha"])
    first = sign(reviewed_spec, people["jonas"], "request_changes", "Add the retry budget")
    second = sign(reviewed_spec, people["jonas"], "approve")
    current = SignOff.objects.current().get(version__spec=reviewed_spec)
    assert current == second
    first.refresh_from_db()
    assert first.superseded_at == second.recorded_at  # kept as history
    events = AuditEvent.objects.filter(verb="signoff.recorded", spec_id=reviewed_spec.pk)
    assert events.count() == 2
    latest = events.order_by("id").last()
    assert latest is not None and latest.data["replaces"] == f"signoff:{first.pk}"


def test_the_same_decision_twice_records_nothing_new(reviewed_spec, people):
    submit(reviewed_spec, people["aisha"])
    first = sign(reviewed_spec, people["jonas"])
    assert sign(reviewed_spec, people["jonas"]) == first
    assert SignOff.objects.count() == 1
    assert AuditEvent.objects.filter(verb="signoff.recorded").count() == 1


def test_the_database_holds_one_current_decision_per_slot(reviewed_spec, people):
    submit(reviewed_spec, people["aisha"])
    signed = sign(reviewed_spec, people["jonas"])
    with pytest.raises(DatabaseError, match="one_current_signoff_per_slot"), transaction.atomic():
        SignOff.objects.create(
            version=signed.version,
            area=signed.area,
            role=signed.role,
            user=signed.user,
            decision="request_changes",
            comment="again",
            recorded_at=timezone.now(),
        )


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_sign_offs_leave_one_row_and_one_audit_event(reviewed_spec, people):
    submit(reviewed_spec, people["aisha"])
    barrier = threading.Barrier(10)
    errors: list[BaseException] = []

    def sign_at_once():
        try:
            barrier.wait()
            sign(reviewed_spec, people["jonas"])
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_at_once) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert SignOff.objects.count() == 1
    assert AuditEvent.objects.filter(verb="signoff.recorded").count() == 1
