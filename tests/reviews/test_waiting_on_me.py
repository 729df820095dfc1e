"""Each person's "Waiting on me" after every step of a review, as the dashboard computes it."""

import datetime

import pytest
from django.utils import timezone

from reviews import actions
from reviews.dashboard.waiting import waiting_on
from specs import actions as spec_actions
from specs.models import Spec
from tests.conftest import RACI_SPEC

pytestmark = pytest.mark.django_db

EVERYONE = ("aisha", "jonas", "sofia", "kenji", "lukas", "priya", "diego")


def waiting(people) -> dict[str, set[str]]:
    now = timezone.now() + datetime.timedelta(minutes=1)
    return {name: {item.task for item in waiting_on(people[name], {}, now)} for name in EVERYONE}


def step(spec, name, by):
    actions.transition(
        spec=spec, name=name, by=by, expected_row_version=Spec.objects.get(pk=spec.pk).row_version
    )


def sign(spec, people, who, area, role, decision, comment=""):
    number = Spec.objects.with_current_version().get(pk=spec.pk).current_version.number
    actions.sign_off(
        spec=spec,
        area=area,
        role=role,
        decision=decision,
        comment=comment,
        by=people[who],
        expected_version=number,
    )


def test_waiting_on_me_is_right_after_every_step(reviewed_spec, people):
    assert all(not tasks for tasks in waiting(people).values())  # a draft waits on nobody

    step(reviewed_spec, "submit", people["aisha"])
    now = waiting(people)
    assert now["jonas"] == {"Sign off as Accountable for Engineering"}
    assert now["sofia"] == {"Sign off as Accountable for Security/Privacy"}
    assert now["kenji"] == {
        "Sign off as Consulted for Engineering",
        "Sign off as Responsible for Security/Privacy",
    }
    assert now["lukas"] == {"Sign off as Responsible for Engineering"}
    assert now["aisha"] == now["priya"] == now["diego"] == set()  # author and Informed sign nothing

    sign(reviewed_spec, people, "jonas", "Engineering", "A", "approve")
    assert waiting(people)["jonas"] == set()

    sign(
        reviewed_spec,
        people,
        "sofia",
        "Security/Privacy",
        "A",
        "request_changes",
        "Retention too long",
    )
    now = waiting(people)
    assert now["aisha"] == {"Upload a new version: changes were requested"}
    assert now["sofia"] == set()

    spec_actions.upload_version(
        spec=reviewed_spec,
        data=(RACI_SPEC + "\nRetention 7 days.\n").encode(),
        uploaded_by=people["aisha"],
    )
    now = waiting(people)
    assert now["aisha"] == set()
    assert now["jonas"] == {"Sign off as Accountable for Engineering"}  # v1's approval is stale
    # Her request for changes stays in force on v2: it waits on her, not on another version.
    assert now["sofia"] == {
        "Re-sign or withdraw your changes requested for Security/Privacy (from v1)"
    }

    for who, area, role in (
        ("jonas", "Engineering", "A"),
        ("sofia", "Security/Privacy", "A"),
        ("lukas", "Engineering", "R"),
        ("kenji", "Engineering", "C"),
        ("kenji", "Security/Privacy", "R"),
    ):
        sign(reviewed_spec, people, who, area, role, "no_concerns" if role == "C" else "approve")
    step(reviewed_spec, "approve", people["sofia"])
    assert all(not tasks for tasks in waiting(people).values())
