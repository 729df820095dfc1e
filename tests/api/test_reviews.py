import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import Scope
from core.models import AuditEvent
from reviews import actions
from reviews.models import DecisionEntry, GateCheck, SignOff
from specs.models import Profile, Spec
from tests.api.conftest import problem

pytestmark = pytest.mark.django_db


def fresh(spec):
    return Spec.objects.with_current_version().get(pk=spec.pk)


def submitted(spec, people):
    actions.transition(
        spec=spec, name="submit", by=people["aisha"], expected_row_version=fresh(spec).row_version
    )
    return fresh(spec)


def test_review_state_has_workflow_matrix_turns_gates_blockers_and_decisions(
    reviewed_spec, people, api_client
):
    spec = submitted(reviewed_spec, people)
    actions.add_comment(
        spec=spec,
        by=people["jonas"],
        body="Retention?",
        expected_version=1,
        line_start=5,
        blocking=True,
    )
    actions.record_decision(
        spec=spec,
        by=people["jonas"],
        expected_version=1,
        date=datetime.date(2026, 9, 14),
        request="Parquet export",
        source="Priya",
        decision="Approved",
        rationale="Auditors ingest it",
        trade_off="One more writer",
    )
    body = api_client(people["priya"], Scope.READ).get(f"/api/v1/specs/{spec.slug}/review").json()
    assert body["state"] == "in_review" and body["version"] == 1
    assert body["row_version"] == spec.row_version
    engineering = next(a for a in body["signoffs"] if a["area"] == "Engineering")
    assert engineering["done"] is False
    assert engineering["turn"].startswith("waiting on Lukas Novak (Responsible)")
    assert {(c["role"], c["username"], c["state"]) for c in engineering["cells"]} == {
        ("R", "lukas", "pending"),
        ("A", "jonas", "pending"),
        ("C", "kenji", "pending"),
    }
    assert engineering["informed"] == ["Priya Raman"]
    [decision] = body["decisions"]
    assert (decision["request"], decision["recorded_by"], decision["version"]) == (
        "Parquet export",
        "jonas",
        1,
    )
    [comment] = body["open_blocking_comments"]
    assert (comment["author"], comment["body"], comment["state"]) == ("jonas", "Retention?", "open")
    approve = next(t for t in body["transitions"] if t["name"] == "approve")
    assert approve["allowed"] is False and approve["reasons"]


def test_review_state_of_an_unseen_spec_is_404(reviewed_spec, people, api_client):
    response = api_client(people["outsider"], Scope.READ).get(
        f"/api/v1/specs/{reviewed_spec.slug}/review"
    )
    assert response.status_code == 404
    problem(response)


def test_submit_through_the_api_is_the_same_audited_transition(reviewed_spec, people, api_client):
    api = api_client(people["aisha"])
    response = api.post(
        f"/api/v1/specs/{reviewed_spec.slug}/transitions",
        {"name": "submit", "row_version": fresh(reviewed_spec).row_version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "in_review"
    assert AuditEvent.objects.filter(verb="spec.submit", actor=people["aisha"]).exists()


def test_a_stale_row_version_is_409_and_changes_nothing(reviewed_spec, people, api_client):
    response = api_client(people["aisha"]).post(
        f"/api/v1/specs/{reviewed_spec.slug}/transitions",
        {"name": "submit", "row_version": fresh(reviewed_spec).row_version - 1 or 99},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert problem(response)["type"].endswith(":stale")
    assert fresh(reviewed_spec).state == "draft"


def test_transitions_need_the_review_scope_and_follow_the_rule_book(
    reviewed_spec, people, api_client
):
    url = f"/api/v1/specs/{reviewed_spec.slug}/transitions"
    payload = {"name": "submit", "row_version": fresh(reviewed_spec).row_version}
    narrow = api_client(people["aisha"], Scope.UPLOAD).post(
        url, payload, content_type="application/json"
    )
    assert narrow.status_code == 403 and problem(narrow)["type"].endswith(":scope")
    # Priya is Informed: she sees the spec but the transition table refuses her.
    refused = api_client(people["priya"]).post(url, payload, content_type="application/json")
    assert refused.status_code == 403
    assert problem(refused)["reasons"]
    unseen = api_client(people["outsider"]).post(url, payload, content_type="application/json")
    assert unseen.status_code == 404
    bad = api_client(people["aisha"]).post(
        url, {"name": "ship", "row_version": 0}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert {e["field"] for e in problem(bad)["errors"]} == {"name", "row_version"}
    assert fresh(reviewed_spec).state == "draft"


def test_sign_off_through_the_api(reviewed_spec, people, api_client):
    spec = submitted(reviewed_spec, people)
    response = api_client(people["jonas"]).post(
        f"/api/v1/specs/{spec.slug}/signoffs",
        {"area": "Engineering", "role": "A", "decision": "approve", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    engineering = next(a for a in response.json()["signoffs"] if a["area"] == "Engineering")
    assert engineering["done"] is True
    assert SignOff.objects.filter(user=people["jonas"], decision="approve").count() == 1


def test_sign_off_refusals_unseen_and_bad_input(reviewed_spec, people, api_client):
    spec = submitted(reviewed_spec, people)
    url = f"/api/v1/specs/{spec.slug}/signoffs"
    slot = {"area": "Engineering", "role": "A", "decision": "approve", "version": 1}
    someone_elses_slot = api_client(people["kenji"]).post(
        url, slot, content_type="application/json"
    )
    assert someone_elses_slot.status_code == 403
    assert "Only Jonas Muller can sign" in problem(someone_elses_slot)["detail"]
    author = api_client(people["aisha"]).post(url, slot, content_type="application/json")
    assert author.status_code == 403 and "author" in problem(author)["detail"]
    unseen = api_client(people["outsider"]).post(url, slot, content_type="application/json")
    assert unseen.status_code == 404
    no_comment = api_client(people["jonas"]).post(
        url, slot | {"decision": "request_changes"}, content_type="application/json"
    )
    assert no_comment.status_code == 422
    assert "comment is required" in problem(no_comment)["errors"][0]["message"]
    stale = api_client(people["jonas"], name="other").post(
        url, slot | {"version": 2}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert not SignOff.objects.exists()


def feature_spec_reviewed_by_jonas(people, make_spec):
    """A feature-spec (three gate items) by Aisha with Jonas Accountable for Engineering."""
    spec = make_spec(
        "feature", owner=people["aisha"], profile=Profile.objects.get(name="feature-spec")
    )
    actions.assign_raci(
        spec=spec,
        area="Engineering",
        role="A",
        user=people["jonas"],
        by=people["aisha"],
        expected_row_version=fresh(spec).row_version,
    )
    return spec


def test_tick_gate_through_the_api_and_a_stale_revision_is_409(people, make_spec, api_client):
    spec = feature_spec_reviewed_by_jonas(people, make_spec)
    api = api_client(people["jonas"])
    gates = api.get(f"/api/v1/specs/{spec.slug}/review").json()["gates"]
    qa = next(g for g in gates if g["item"] == "QA")
    tick = {"item": "QA", "state": "checked", "version": 1, "revision": qa["revision"]}
    url = f"/api/v1/specs/{spec.slug}/gates"
    done = api.post(url, tick, content_type="application/json")
    assert done.status_code == 200, done.content
    qa_after = next(g for g in done.json()["gates"] if g["item"] == "QA")
    assert (qa_after["state"], qa_after["by"], qa_after["revision"]) == ("checked", "jonas", 1)
    again = api.post(url, tick | {"state": "unchecked"}, content_type="application/json")
    assert again.status_code == 409
    assert GateCheck.objects.get(item="QA").state == "checked"


def test_tick_gate_refusals_unseen_and_bad_input(people, make_spec, api_client):
    spec = feature_spec_reviewed_by_jonas(people, make_spec)
    url = f"/api/v1/specs/{spec.slug}/gates"
    tick = {"item": "QA", "state": "checked", "version": 1, "revision": 0}
    author = api_client(people["aisha"]).post(url, tick, content_type="application/json")
    assert author.status_code == 403
    narrow = api_client(people["jonas"], Scope.UPLOAD).post(
        url, tick, content_type="application/json"
    )
    assert narrow.status_code == 403
    unseen = api_client(people["outsider"]).post(url, tick, content_type="application/json")
    assert unseen.status_code == 404
    na = api_client(people["jonas"]).post(
        url, tick | {"state": "na", "reason": " "}, content_type="application/json"
    )
    assert na.status_code == 422 and "N/A needs a reason" in problem(na)["errors"][0]["message"]
    assert not GateCheck.objects.exists()


def test_record_and_supersede_a_decision_through_the_api(reviewed_spec, people, api_client):
    spec = submitted(reviewed_spec, people)
    url = f"/api/v1/specs/{spec.slug}/decisions"
    entry = {
        "date": "2026-10-01",
        "request": "CSV export",
        "source": "Finance",
        "decision": "Deferred",
        "rationale": "Parquet first",
        "trade_off": "Auditors wait",
        "version": 1,
    }
    api = api_client(people["jonas"])
    first = api.post(url, entry, content_type="application/json")
    assert first.status_code == 200, first.content
    [recorded] = first.json()["decisions"]
    second = api.post(
        url,
        entry | {"decision": "Approved", "supersedes": recorded["id"]},
        content_type="application/json",
    )
    assert second.status_code == 200
    [current] = second.json()["decisions"]
    assert (current["decision"], current["supersedes"]) == ("Approved", recorded["id"])
    assert DecisionEntry.objects.count() == 2


def test_decision_refusals_unseen_and_bad_input(reviewed_spec, people, api_client):
    spec = submitted(reviewed_spec, people)
    url = f"/api/v1/specs/{spec.slug}/decisions"
    entry = {
        "date": "2026-10-01",
        "request": "CSV export",
        "source": "Finance",
        "decision": "Deferred",
        "rationale": "Parquet first",
        "trade_off": "Auditors wait",
        "version": 1,
    }
    informed = api_client(people["priya"]).post(url, entry, content_type="application/json")
    assert informed.status_code == 403
    unseen = api_client(people["outsider"]).post(url, entry, content_type="application/json")
    assert unseen.status_code == 404
    missing_old = api_client(people["jonas"]).post(
        url, entry | {"supersedes": 999999}, content_type="application/json"
    )
    assert missing_old.status_code == 404
    bad = api_client(people["jonas"]).post(
        url, entry | {"date": "yesterday", "decision": "Maybe"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert {e["field"] for e in problem(bad)["errors"]} == {"date", "decision"}
    assert not DecisionEntry.objects.exists()


def test_review_state_queries_do_not_grow_with_signoffs_decisions_and_comments(
    reviewed_spec, people, api_client
):
    spec = submitted(reviewed_spec, people)
    api = api_client(people["priya"], Scope.READ)
    url = f"/api/v1/specs/{spec.slug}/review"
    api.get(url)  # warm: guardian's content types
    with CaptureQueriesContext(connection) as before:
        assert api.get(url).status_code == 200
    for n in range(3):
        actions.record_decision(
            spec=spec,
            by=people["jonas"],
            expected_version=1,
            date=datetime.date(2026, 9, 14),
            request=f"Request {n}",
            source="Priya",
            decision="Approved",
            rationale="Because",
            trade_off="Some",
        )
        actions.add_comment(
            spec=spec,
            by=people["jonas"],
            body=f"B{n}",
            expected_version=1,
            line_start=5,
            blocking=True,
        )
    actions.sign_off(
        spec=spec,
        area="Engineering",
        role="A",
        decision="approve",
        comment="",
        by=people["jonas"],
        expected_version=1,
    )
    with CaptureQueriesContext(connection) as after:
        body = api.get(url).json()
    assert len(body["decisions"]) == 3 and len(body["open_blocking_comments"]) == 3
    assert len(after.captured_queries) == len(before.captured_queries)
