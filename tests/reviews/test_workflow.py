"""The pure transition table: every transition from every state, and every guard's words.

The shared spec: Ana (1) wrote it; Engineering has Bo (2) Accountable, Cy (3) Responsible,
Di (4) Consulted, Ed (5) Informed; Security/Privacy has Sofia Rossi (6) Accountable. Version 4
is current. ``ready()`` is the state in which an approver may approve; tests break one thing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from reviews.rules.gates import GateItem, GateState
from reviews.rules.workflow import (
    Actor,
    Area,
    ReviewSnapshot,
    Role,
    SignOff,
    State,
    TransitionCheck,
    Verdict,
    check,
    evaluate,
)

ANA, BO, CY, DI, ED, SOFIA, VERA, ADA, OUTSIDER = 1, 2, 3, 4, 5, 6, 7, 8, 9

NAMES = {
    ANA: "Ana Author",
    BO: "Bo Berg",
    CY: "Cy Chen",
    DI: "Di Diaz",
    ED: "Ed Ekman",
    SOFIA: "Sofia Rossi",
    VERA: "Vera Approver",
    ADA: "Ada Admin",
}

ENGINEERING = Area(
    "Engineering", accountable=(BO,), responsible=(CY,), consulted=(DI,), informed=(ED,)
)
SECURITY = Area("Security/Privacy", accountable=(SOFIA,))

AUTHOR = Actor(ANA, is_author=True, can_upload=True, can_review=True)
APPROVER = Actor(VERA, can_review=True, can_approve=True)
ADMIN = Actor(ADA, can_upload=True, can_review=True, can_approve=True, can_administer=True)


def reviewer(user_id: int) -> Actor:
    return Actor(user_id, can_review=True)


def signed(
    area: Area, role: Role, user_id: int, decision: Verdict, version: int = 4, comment: str = ""
) -> SignOff:
    return SignOff(area.name, role, user_id, decision, version, comment)


def gates(*states: GateState) -> tuple[GateItem, ...]:
    labels = ("Rollback tested", "Threat model reviewed", "Dashboards exist", "Runbook linked")
    return tuple(
        GateItem(f"g{i}", labels[i], state, "not applicable here" if state is GateState.NA else "")
        for i, state in enumerate(states)
    )


def ready(**changes: Any) -> ReviewSnapshot:
    snapshot = ReviewSnapshot(
        state=State.IN_REVIEW,
        version=4,
        author_id=ANA,
        lint_errors=0,
        areas=(ENGINEERING, SECURITY),
        signoffs=(
            signed(ENGINEERING, Role.ACCOUNTABLE, BO, Verdict.APPROVE),
            signed(SECURITY, Role.ACCOUNTABLE, SOFIA, Verdict.APPROVE),
        ),
        gates=gates(GateState.CHECKED, GateState.NA),
        names=NAMES,
    )
    return replace(snapshot, **changes)


def reasons(snapshot: ReviewSnapshot, actor: Actor, name: str) -> tuple[str, ...]:
    return check(snapshot, actor, name).reasons


# Sofia is an Accountable who also holds every permission: with ready() every guard passes for
# her, so the table below isolates which state each transition may leave and where it leads.
EVERYTHING = Actor(SOFIA, can_upload=True, can_review=True, can_approve=True, can_administer=True)

D, R, CR, AP, RJ, W = (
    State.DRAFT,
    State.IN_REVIEW,
    State.CHANGES_REQUESTED,
    State.APPROVED,
    State.REJECTED,
    State.WITHDRAWN,
)
EXPECTED_MOVES = {
    "submit": {D: R},
    "request_changes": {R: CR},
    "new_version": {CR: R, R: R, AP: R, D: D},
    "approve": {R: AP},
    "reject": {R: RJ},
    "withdraw": {D: W, R: W, CR: W},
}
USUAL_TARGET = {
    "submit": R,
    "request_changes": CR,
    "new_version": R,
    "approve": AP,
    "reject": RJ,
    "withdraw": W,
}


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("name", list(EXPECTED_MOVES))
def test_every_transition_from_every_state(name: str, state: State) -> None:
    result = check(ready(state=state), EVERYTHING, name)
    target = EXPECTED_MOVES[name].get(state)
    if target is None:
        assert result == TransitionCheck(
            name, USUAL_TARGET[name], False, (f"Not possible from {state.label}",)
        )
    else:
        assert result == TransitionCheck(name, target, True, ())


def test_state_values_are_the_stored_strings() -> None:
    assert [s.value for s in State] == [
        "draft",
        "in_review",
        "changes_requested",
        "approved",
        "rejected",
        "withdrawn",
    ]


def test_not_possible_names_the_state_in_words() -> None:
    assert reasons(ready(state=State.APPROVED), ADMIN, "approve") == ("Not possible from Approved",)
    assert reasons(ready(state=State.CHANGES_REQUESTED), ADMIN, "submit") == (
        "Not possible from Changes requested",
    )


def test_evaluate_answers_every_transition_in_table_order() -> None:
    checks = evaluate(ready(), APPROVER)
    assert [c.name for c in checks] == list(EXPECTED_MOVES)
    allowed = {c.name for c in checks if c.allowed}
    assert allowed == {"approve"}


def test_check_refuses_an_unknown_transition() -> None:
    with pytest.raises(ValueError, match="Unknown transition 'publish'"):
        check(ready(), ADMIN, "publish")


# submit


def test_author_and_administrator_may_submit() -> None:
    draft = ready(state=State.DRAFT, signoffs=())
    assert check(draft, AUTHOR, "submit").allowed
    assert check(draft, Actor(ADA, can_administer=True), "submit").allowed


def test_author_flag_alone_makes_a_co_author() -> None:
    co_author = Actor(OUTSIDER, is_author=True)
    assert check(ready(state=State.DRAFT), co_author, "submit").allowed


def test_others_may_not_submit() -> None:
    assert reasons(ready(state=State.DRAFT), APPROVER, "submit") == (
        "Only the author or an administrator can submit",
    )


def test_submit_refused_with_lint_errors_and_no_override() -> None:
    assert reasons(ready(state=State.DRAFT, lint_errors=2), AUTHOR, "submit") == (
        "Lint: 2 errors on v4 and no override recorded",
    )
    assert reasons(ready(state=State.DRAFT, lint_errors=1), AUTHOR, "submit") == (
        "Lint: 1 error on v4 and no override recorded",
    )


def test_an_audited_override_lets_lint_errors_pass() -> None:
    draft = ready(state=State.DRAFT, lint_errors=2, lint_override=True)
    assert check(draft, AUTHOR, "submit").allowed


def test_submit_waits_for_the_linter() -> None:
    assert reasons(ready(state=State.DRAFT, lint_errors=None), AUTHOR, "submit") == (
        "Lint: v4 has not been linted yet",
    )


def test_submit_needs_exactly_one_accountable_per_area() -> None:
    areas = (
        Area("Engineering", accountable=()),
        Area("Operations", accountable=(BO, SOFIA)),
        SECURITY,
    )
    assert reasons(ready(state=State.DRAFT, areas=areas), AUTHOR, "submit") == (
        "Engineering has no Accountable",
        "Operations has 2 Accountables (exactly one required)",
    )


def test_submit_needs_a_raci_table() -> None:
    assert reasons(ready(state=State.DRAFT, areas=()), AUTHOR, "submit") == (
        "The RACI table has no areas",
    )


def test_submit_refuses_the_author_as_an_accountable() -> None:
    areas = (ENGINEERING, Area("Security/Privacy", accountable=(ANA,)))
    assert reasons(ready(state=State.DRAFT, areas=areas), AUTHOR, "submit") == (
        "Security/Privacy: the Accountable (Ana Author) is the author, "
        "who cannot sign off their own spec",
    )


def test_submit_lists_every_reason_at_once() -> None:
    draft = ready(state=State.DRAFT, lint_errors=3, areas=(Area("Engineering"),))
    assert reasons(draft, APPROVER, "submit") == (
        "Only the author or an administrator can submit",
        "Lint: 3 errors on v4 and no override recorded",
        "Engineering has no Accountable",
    )


# approve


def test_an_approver_may_approve_a_ready_spec() -> None:
    assert check(ready(), APPROVER, "approve") == TransitionCheck(
        "approve", State.APPROVED, True, ()
    )


def test_self_approval_is_refused_even_for_an_approver() -> None:
    author_approver = replace(AUTHOR, can_approve=True, can_administer=True)
    assert reasons(ready(), author_approver, "approve") == (
        "The author cannot approve their own spec",
    )
    by_id_only = Actor(ANA, can_approve=True)
    assert reasons(ready(), by_id_only, "approve") == ("The author cannot approve their own spec",)


def test_approve_needs_approver_permission() -> None:
    assert reasons(ready(), reviewer(BO), "approve") == ("Only an approver can approve",)


def test_approve_names_each_accountable_who_has_not_approved_this_version() -> None:
    only_bo = (signed(ENGINEERING, Role.ACCOUNTABLE, BO, Verdict.APPROVE),)
    assert reasons(ready(signoffs=only_bo), APPROVER, "approve") == (
        "Security/Privacy: Accountable (Sofia Rossi) has not approved v4",
    )


def test_stale_approvals_do_not_count() -> None:
    stale = (
        signed(ENGINEERING, Role.ACCOUNTABLE, BO, Verdict.APPROVE, version=3),
        signed(SECURITY, Role.ACCOUNTABLE, SOFIA, Verdict.APPROVE),
    )
    assert reasons(ready(signoffs=stale), APPROVER, "approve") == (
        "Engineering: Accountable (Bo Berg) has not approved v4 (approved v3)",
    )


def test_a_request_for_changes_on_this_version_is_named() -> None:
    signoffs = (
        signed(ENGINEERING, Role.ACCOUNTABLE, BO, Verdict.REQUEST_CHANGES, comment="why"),
        signed(SECURITY, Role.ACCOUNTABLE, SOFIA, Verdict.APPROVE),
    )
    assert reasons(ready(signoffs=signoffs), APPROVER, "approve") == (
        "Engineering: Accountable (Bo Berg) requested changes on v4",
    )


def test_only_the_accountables_approval_counts() -> None:
    signoffs = (
        signed(ENGINEERING, Role.RESPONSIBLE, CY, Verdict.APPROVE),
        signed(ENGINEERING, Role.ACCOUNTABLE, SOFIA, Verdict.APPROVE),
        signed(SECURITY, Role.ACCOUNTABLE, SOFIA, Verdict.APPROVE),
    )
    assert reasons(ready(signoffs=signoffs), APPROVER, "approve") == (
        "Engineering: Accountable (Bo Berg) has not approved v4",
    )


def test_an_authors_own_accountable_approval_never_counts() -> None:
    areas = (ENGINEERING, Area("Security/Privacy", accountable=(ANA,)))
    signoffs = (
        signed(ENGINEERING, Role.ACCOUNTABLE, BO, Verdict.APPROVE),
        signed(SECURITY, Role.ACCOUNTABLE, ANA, Verdict.APPROVE),
    )
    result = check(ready(areas=areas, signoffs=signoffs), APPROVER, "approve")
    assert not result.allowed
    assert result.reasons == (
        "Security/Privacy: the Accountable (Ana Author) is the author, "
        "who cannot sign off their own spec",
    )


def test_an_author_as_accountable_is_reported_once() -> None:
    areas = (ENGINEERING, Area("Security/Privacy", accountable=(ANA,)))
    only_bo = (signed(ENGINEERING, Role.ACCOUNTABLE, BO, Verdict.APPROVE),)
    assert reasons(ready(areas=areas, signoffs=only_bo), APPROVER, "approve") == (
        "Security/Privacy: the Accountable (Ana Author) is the author, "
        "who cannot sign off their own spec",
    )


def test_approve_with_zero_or_two_accountables_is_refused() -> None:
    areas = (Area("Engineering", accountable=(BO, CY)), Area("Security/Privacy"))
    signoffs = (
        signed(ENGINEERING, Role.ACCOUNTABLE, BO, Verdict.APPROVE),
        signed(ENGINEERING, Role.ACCOUNTABLE, CY, Verdict.APPROVE),
    )
    assert reasons(ready(areas=areas, signoffs=signoffs), APPROVER, "approve") == (
        "Engineering has 2 Accountables (exactly one required)",
        "Security/Privacy has no Accountable",
    )


def test_approve_needs_every_gate_item_checked_or_na() -> None:
    items = gates(GateState.UNCHECKED, GateState.CHECKED, GateState.UNCHECKED, GateState.UNCHECKED)
    assert reasons(ready(gates=items), APPROVER, "approve") == (
        "3 gate items are neither checked nor N/A: Rollback tested, Dashboards exist, "
        "Runbook linked",
    )


def test_approve_refuses_na_without_a_reason() -> None:
    items = (GateItem("g0", "Rollback tested", GateState.NA, reason="  "),)
    assert reasons(ready(gates=items), APPROVER, "approve") == (
        "N/A needs a reason: Rollback tested",
    )


@pytest.mark.parametrize(
    ("count", "words"), [(1, "1 blocking comment is open"), (2, "2 blocking comments are open")]
)
def test_approve_refused_while_blocking_comments_are_open(count: int, words: str) -> None:
    assert reasons(ready(open_blocking_comments=count), APPROVER, "approve") == (words,)


def test_approve_rechecks_lint_of_the_current_version() -> None:
    assert reasons(ready(lint_errors=2), APPROVER, "approve") == (
        "Lint: 2 errors on v4 and no override recorded",
    )


def test_unknown_people_are_still_named() -> None:
    only_bo = (signed(ENGINEERING, Role.ACCOUNTABLE, BO, Verdict.APPROVE),)
    assert reasons(ready(signoffs=only_bo, names={}), APPROVER, "approve") == (
        "Security/Privacy: Accountable (user #6) has not approved v4",
    )


# reject


def test_an_accountable_may_reject() -> None:
    assert check(ready(), reviewer(SOFIA), "reject").allowed


def test_reject_refused_for_non_accountables() -> None:
    for user_id in (CY, DI, ED, VERA):
        assert reasons(ready(), reviewer(user_id), "reject") == (
            "Only an area's Accountable can reject",
        )


def test_reject_refused_for_the_author_even_as_accountable() -> None:
    areas = (ENGINEERING, Area("Security/Privacy", accountable=(ANA,)))
    assert reasons(ready(areas=areas), AUTHOR, "reject") == (
        "The author cannot reject their own spec",
    )


def test_reject_needs_review_permission() -> None:
    assert reasons(ready(), Actor(SOFIA), "reject") == (
        "You do not have review permission on this spec",
    )


# request_changes


@pytest.mark.parametrize("user_id", [BO, CY, SOFIA])
def test_accountable_or_responsible_may_request_changes(user_id: int) -> None:
    assert check(ready(), reviewer(user_id), "request_changes") == TransitionCheck(
        "request_changes", State.CHANGES_REQUESTED, True, ()
    )


@pytest.mark.parametrize("user_id", [DI, ED, VERA, OUTSIDER])
def test_consulted_informed_and_outsiders_may_not_request_changes(user_id: int) -> None:
    assert reasons(ready(), reviewer(user_id), "request_changes") == (
        "Only an area's Accountable or Responsible can request changes",
    )


def test_request_changes_needs_review_permission() -> None:
    assert reasons(ready(), Actor(CY), "request_changes") == (
        "You do not have review permission on this spec",
    )


def test_an_author_who_is_only_accountable_may_not_request_changes() -> None:
    areas = (ENGINEERING, Area("Security/Privacy", accountable=(ANA,)))
    assert not check(ready(areas=areas), AUTHOR, "request_changes").allowed
    areas = (ENGINEERING, Area("Security/Privacy", accountable=(SOFIA,), responsible=(ANA,)))
    assert check(ready(areas=areas), AUTHOR, "request_changes").allowed


# new_version and withdraw


def test_new_version_needs_upload_permission() -> None:
    assert check(ready(), Actor(OUTSIDER, can_upload=True), "new_version").allowed
    assert reasons(ready(), APPROVER, "new_version") == ("You cannot upload versions of this spec",)


def test_new_version_leaves_a_draft_a_draft() -> None:
    assert check(ready(state=State.DRAFT), AUTHOR, "new_version").target is State.DRAFT


@pytest.mark.parametrize("state", [State.DRAFT, State.IN_REVIEW, State.CHANGES_REQUESTED])
def test_only_author_or_administrator_may_withdraw(state: State) -> None:
    assert check(ready(state=state), AUTHOR, "withdraw").allowed
    assert check(ready(state=state), Actor(ADA, can_administer=True), "withdraw").allowed
    assert reasons(ready(state=state), APPROVER, "withdraw") == (
        "Only the author or an administrator can withdraw",
    )
