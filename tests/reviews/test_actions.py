import datetime
import threading
from typing import Any

import pytest
from django.db import connections

from core.models import AuditEvent
from reviews import actions
from reviews.models import DecisionEntry, GateCheck, RaciAssignment, SignOff
from reviews.rules import workflow
from reviews.snapshot import load_review
from specs import actions as spec_actions
from specs import permissions
from specs.models import Spec
from tests.conftest import RACI_SPEC

pytestmark = pytest.mark.django_db


def fresh(spec):
    return Spec.objects.with_current_version().get(pk=spec.pk)


def submit(spec, by):
    return actions.transition(
        spec=spec, name="submit", by=by, expected_row_version=fresh(spec).row_version
    )


def test_raci_is_seeded_from_the_table_matching_names_usernames_and_emails(reviewed_spec, people):
    rows = {
        (a.area, a.role, a.user.username if a.user else a.unmatched_name)
        for a in RaciAssignment.objects.filter(spec=reviewed_spec).select_related("user")
    }
    assert ("Engineering", "A", "jonas") in rows  # "Jonas Müller" matched "Jonas Muller"
    assert ("Engineering", "C", "kenji") in rows  # by username
    assert ("Security/Privacy", "R", "kenji") in rows  # by e-mail
    assert ("Security/Privacy", "C", "Grace Hopper (Finance)") in rows  # kept, not dropped
    assert AuditEvent.objects.filter(verb="raci.seeded", spec_id=reviewed_spec.pk).exists()


def test_raci_membership_grants_the_matching_permissions(reviewed_spec, people):
    jonas = permissions.abilities(people["jonas"], reviewed_spec)
    priya = permissions.abilities(people["priya"], reviewed_spec)
    outsider = permissions.abilities(people["outsider"], reviewed_spec)
    assert jonas.can_view and jonas.can_review and jonas.can_approve
    assert priya.can_view and not priya.can_review
    assert not outsider.can_view


def test_a_full_review_reaches_approved_and_every_step_is_audited(reviewed_spec, people):
    submit(reviewed_spec, people["aisha"])
    assert fresh(reviewed_spec).state == "in_review"
    for who, area in (("jonas", "Engineering"), ("sofia", "Security/Privacy")):
        actions.sign_off(
            spec=reviewed_spec,
            area=area,
            role="A",
            decision="approve",
            comment="",
            by=people[who],
            expected_version=1,
        )
    approved = actions.transition(
        spec=reviewed_spec,
        name="approve",
        by=people["sofia"],
        expected_row_version=fresh(reviewed_spec).row_version,
    )
    assert approved.state == "approved"
    verbs = list(
        AuditEvent.objects.filter(spec_id=reviewed_spec.pk)
        .order_by("at", "id")
        .values_list("verb", flat=True)
    )
    assert verbs[-4:] == ["spec.submit", "signoff.recorded", "signoff.recorded", "spec.approve"]


def test_approval_is_refused_with_the_reason_while_an_accountable_has_not_approved(
    reviewed_spec, people
):
    submit(reviewed_spec, people["aisha"])
    actions.sign_off(
        spec=reviewed_spec,
        area="Engineering",
        role="A",
        decision="approve",
        comment="",
        by=people["jonas"],
        expected_version=1,
    )
    with pytest.raises(actions.ReviewError) as refused:
        actions.transition(
            spec=reviewed_spec,
            name="approve",
            by=people["jonas"],
            expected_row_version=fresh(reviewed_spec).row_version,
        )
    assert any(
        "Security/Privacy" in r and "Sofia Rossi" in r and "v1" in r for r in refused.value.reasons
    )
    assert fresh(reviewed_spec).state == "in_review"


def test_requesting_changes_moves_the_spec_and_a_new_version_brings_it_back(reviewed_spec, people):
    submit(reviewed_spec, people["aisha"])
    actions.sign_off(
        spec=reviewed_spec,
        area="Security/Privacy",
        role="A",
        decision="request_changes",
        comment="Retention is too long",
        by=people["sofia"],
        expected_version=1,
    )
    assert fresh(reviewed_spec).state == "changes_requested"
    spec_actions.upload_version(
        spec=reviewed_spec,
        data=(RACI_SPEC + "\nRetention: 7 days.\n").encode(),
        uploaded_by=people["aisha"],
    )
    spec = fresh(reviewed_spec)
    assert (spec.state, spec.current_version.number) == ("in_review", 2)
    review = load_review(spec)
    accountable = workflow.Role.ACCOUNTABLE
    # The request for changes is a veto: it stays in force on v2 until Sofia withdraws it or
    # signs again (issue 12); it does not go stale on its own.
    veto = review.snapshot.current_signoff("Security/Privacy", accountable, people["sofia"].pk)
    assert veto is not None and veto.carried_from == 1
    assert veto.decision is workflow.Verdict.REQUEST_CHANGES


def test_only_the_assigned_person_signs_their_slot(reviewed_spec, people):
    submit(reviewed_spec, people["aisha"])
    with pytest.raises(actions.ReviewError):
        actions.sign_off(
            spec=reviewed_spec,
            area="Security/Privacy",
            role="A",
            decision="approve",
            comment="",
            by=people["jonas"],
            expected_version=1,
        )
    assert not SignOff.objects.exists()


def test_a_form_from_an_older_version_is_stale(reviewed_spec, people):
    submit(reviewed_spec, people["aisha"])
    spec_actions.upload_version(
        spec=reviewed_spec, data=(RACI_SPEC + "\nv2\n").encode(), uploaded_by=people["aisha"]
    )
    with pytest.raises(actions.StaleForm, match="moved on to v2"):
        actions.sign_off(
            spec=reviewed_spec,
            area="Engineering",
            role="A",
            decision="approve",
            comment="",
            by=people["jonas"],
            expected_version=1,
        )
    with pytest.raises(actions.StaleForm):
        actions.transition(
            spec=reviewed_spec, name="withdraw", by=people["aisha"], expected_row_version=1
        )


def test_decisions_are_append_only_and_corrections_supersede(reviewed_spec, people):
    fields: dict[str, Any] = {
        "date": datetime.date(2026, 10, 1),
        "request": "CSV only",
        "source": "Support",
        "decision": "Deferred",
        "rationale": "Later",
        "trade_off": "Auditors wait",
    }
    first = actions.record_decision(
        spec=reviewed_spec, by=people["jonas"], expected_version=1, **fields
    )
    correction = actions.record_decision(
        spec=reviewed_spec,
        by=people["sofia"],
        expected_version=1,
        supersedes=first,
        **{**fields, "decision": "Rejected"},
    )
    with pytest.raises(actions.StaleForm):
        actions.record_decision(
            spec=reviewed_spec, by=people["jonas"], expected_version=1, supersedes=first, **fields
        )
    assert list(DecisionEntry.objects.order_by("id").values_list("decision", flat=True)) == [
        "Deferred",
        "Rejected",
    ]
    assert correction.supersedes == first


def feature_spec_reviewed_by_jonas(people, make_spec):
    """A feature-spec (three gate items) by Aisha with Jonas Accountable for Engineering."""
    from specs.models import Profile

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


def test_gate_ticks_need_a_reason_for_na_and_refuse_stale_revisions(people, make_spec):
    spec = feature_spec_reviewed_by_jonas(people, make_spec)
    jonas = people["jonas"]
    with pytest.raises(actions.ReviewError, match="reason"):
        actions.tick_gate(
            spec=spec,
            item="QA",
            state="na",
            reason=" ",
            by=jonas,
            expected_version=1,
            expected_revision=0,
        )
    actions.tick_gate(
        spec=spec,
        item="QA",
        state="checked",
        reason="",
        by=jonas,
        expected_version=1,
        expected_revision=0,
    )
    with pytest.raises(actions.StaleForm):
        actions.tick_gate(
            spec=spec,
            item="QA",
            state="na",
            reason="covered by e2e",
            by=jonas,
            expected_version=1,
            expected_revision=0,
        )
    check = GateCheck.objects.get(item="QA")
    assert (check.state, check.by, check.revision) == ("checked", jonas, 1)


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_ticking_different_items_both_land(people, make_spec):
    from specs.models import Profile

    spec = make_spec(
        "feature", owner=people["aisha"], profile=Profile.objects.get(name="feature-spec")
    )
    for who in ("jonas", "sofia"):
        actions.assign_raci(
            spec=spec,
            area=f"Area {who}",
            role="A",
            user=people[who],
            by=people["aisha"],
            expected_row_version=fresh(spec).row_version,
        )
    barrier = threading.Barrier(2)
    errors = []

    def tick(who, item):
        try:
            barrier.wait()
            actions.tick_gate(
                spec=spec,
                item=item,
                state="checked",
                reason="",
                by=people[who],
                expected_version=1,
                expected_revision=0,
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=tick, args=args)
        for args in (("jonas", "Tech Lead"), ("sofia", "Product"))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert set(GateCheck.objects.values_list("item", flat=True)) == {"Tech Lead", "Product"}


def test_several_gate_items_are_ticked_in_one_transaction(people, make_spec):
    spec = feature_spec_reviewed_by_jonas(people, make_spec)
    items = [item.key for item in load_review(fresh(spec)).gate_items]
    checks = actions.tick_gates(
        spec=spec,
        items=[(key, 0) for key in items],
        state="checked",
        reason="",
        by=people["jonas"],
        expected_version=1,
    )
    assert [c.item for c in checks] == items
    assert set(GateCheck.objects.values_list("state", "revision")) == {("checked", 1)}
    assert AuditEvent.objects.filter(verb="gate.ticked").count() == len(items)


def test_one_stale_item_refuses_the_whole_save_and_writes_nothing(people, make_spec):
    spec = feature_spec_reviewed_by_jonas(people, make_spec)
    first, second = [item.key for item in load_review(fresh(spec)).gate_items][:2]
    actions.tick_gate(
        spec=spec,
        item=second,
        state="checked",
        reason="",
        by=people["jonas"],
        expected_version=1,
        expected_revision=0,
    )
    with pytest.raises(actions.StaleForm, match=second):
        actions.tick_gates(
            spec=spec,
            items=[(first, 0), (second, 0)],
            state="na",
            reason="not this release",
            by=people["jonas"],
            expected_version=1,
        )
    assert list(GateCheck.objects.values_list("item", "state")) == [(second, "checked")]
    with pytest.raises(actions.ReviewError, match="reason"):
        actions.tick_gates(
            spec=spec, items=[(first, 0)], state="na", reason=" ", by=people["jonas"],
            expected_version=1,
        )  # fmt: skip
    with pytest.raises(actions.ReviewError, match="author"):
        actions.tick_gates(
            spec=spec, items=[(first, 0)], state="checked", reason="", by=people["aisha"],
            expected_version=1,
        )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_saving_several_different_items_both_land(people, make_spec):
    from specs.models import Profile

    spec = make_spec(
        "feature", owner=people["aisha"], profile=Profile.objects.get(name="feature-spec")
    )
    for who in ("jonas", "sofia"):
        actions.assign_raci(
            spec=spec,
            area=f"Area {who}",
            role="A",
            user=people[who],
            by=people["aisha"],
            expected_row_version=fresh(spec).row_version,
        )
    items = [item.key for item in load_review(fresh(spec)).gate_items]
    barrier = threading.Barrier(2)
    errors = []

    def tick(who, keys):
        try:
            barrier.wait()
            actions.tick_gates(
                spec=spec,
                items=[(key, 0) for key in keys],
                state="checked",
                reason="",
                by=people[who],
                expected_version=1,
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=tick, args=args)
        for args in (("jonas", items[:1]), ("sofia", items[1:]))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert set(GateCheck.objects.values_list("item", flat=True)) == set(items)


def test_ticks_carry_over_only_when_someone_carries_them(people, make_spec):
    spec = feature_spec_reviewed_by_jonas(people, make_spec)
    actions.tick_gate(
        spec=spec,
        item="QA",
        state="checked",
        reason="",
        by=people["jonas"],
        expected_version=1,
        expected_revision=0,
    )
    spec_actions.upload_version(spec=spec, data=b"# Changed\n", uploaded_by=people["aisha"])
    assert not GateCheck.objects.filter(version__number=2).exists()
    carried = actions.carry_over_gates(
        spec=spec, from_version=1, by=people["jonas"], expected_version=2
    )
    assert carried == 1
    assert GateCheck.objects.get(version__number=2, item="QA").carried_from == 1
    assert AuditEvent.objects.filter(verb="gate.carried_over").exists()


def test_a_changed_raci_table_is_proposed_and_applied_on_request(reviewed_spec, people):
    from reviews.views.page_context import review_context

    changed = RACI_SPEC.replace(
        "| Security/Privacy | kenji@example.com | Sofia Rossi |",
        "| Security/Privacy | kenji@example.com | Diego Santos |",
    )
    spec_actions.upload_version(
        spec=reviewed_spec, data=changed.encode(), uploaded_by=people["aisha"]
    )
    spec = fresh(reviewed_spec)
    proposal = review_context(
        people["aisha"], spec, permissions.abilities(people["aisha"], spec), spec.current_version
    )["raci_proposal"]()  # context values are computed on demand
    assert [(m.area, m.role, m.user.username) for m in proposal.added] == [
        ("Security/Privacy", "A", "diego")
    ]
    assert [(a.area, a.role, a.user.username) for a in proposal.removed] == [
        ("Security/Privacy", "A", "sofia")
    ]
    added, removed = actions.apply_raci_proposal(
        spec=spec, by=people["aisha"], expected_row_version=spec.row_version
    )
    assert (added, removed) == (1, 1)
    assert permissions.abilities(people["diego"], spec).can_approve
    assert not permissions.abilities(people["sofia"], spec).can_approve
    with pytest.raises(actions.StaleForm):
        actions.apply_raci_proposal(
            spec=spec, by=people["aisha"], expected_row_version=fresh(spec).row_version
        )


def test_raci_is_seeded_even_when_the_version_is_analysed_later(people, generic_profile, settings):
    settings.SPEC_INLINE_ANALYSIS_BYTES = 1  # every version goes to the worker path
    spec = spec_actions.create_spec(
        title="Big", slug="big", profile=generic_profile, author=people["aisha"]
    )
    version = spec_actions.upload_version(
        spec=spec, data=RACI_SPEC.encode(), uploaded_by=people["aisha"]
    ).version
    assert version.linted_at is None
    assert RaciAssignment.objects.filter(spec=spec, role="A", user=people["sofia"]).exists()
