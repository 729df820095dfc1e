"""Who may sign which slot, with which decision, and the sign-off matrix with its "whose turn"."""

from __future__ import annotations

import pytest

from reviews.rules.signoffs import (
    AreaRow,
    CellState,
    MatrixCell,
    allowed_decisions,
    sign_off_problems,
    signoff_matrix,
    why_cannot_sign,
)
from reviews.rules.workflow import Actor, Area, Role, State, Verdict
from tests.reviews.test_workflow import (
    ANA,
    AUTHOR,
    BO,
    CY,
    DI,
    ED,
    ENGINEERING,
    SECURITY,
    SOFIA,
    VERA,
    ready,
    reviewer,
    signed,
)

A, R, C, INFORMED = Role.ACCOUNTABLE, Role.RESPONSIBLE, Role.CONSULTED, Role.INFORMED


def test_decisions_per_role() -> None:
    assert allowed_decisions(A) == (Verdict.APPROVE, Verdict.REQUEST_CHANGES)
    assert allowed_decisions(R) == (Verdict.APPROVE, Verdict.REQUEST_CHANGES)
    assert allowed_decisions(C) == (Verdict.NO_CONCERNS, Verdict.CONCERNS)
    assert allowed_decisions(INFORMED) == ()


@pytest.mark.parametrize(
    ("user_id", "area", "role"),
    [
        (BO, "Engineering", A),
        (CY, "Engineering", R),
        (DI, "Engineering", C),
        (SOFIA, "Security/Privacy", A),
    ],
)
def test_the_assigned_person_may_sign_their_slot(user_id: int, area: str, role: Role) -> None:
    assert why_cannot_sign(ready(), reviewer(user_id), area, role) == ()


def test_signing_someone_elses_slot_is_refused() -> None:
    assert why_cannot_sign(ready(), reviewer(CY), "Engineering", A) == (
        "Only Bo Berg can sign as Accountable for Engineering",
    )
    assert why_cannot_sign(ready(), reviewer(BO), "Security/Privacy", A) == (
        "Only Sofia Rossi can sign as Accountable for Security/Privacy",
    )


def test_an_approver_cannot_sign_a_slot_they_do_not_hold() -> None:
    approver = Actor(VERA, can_review=True, can_approve=True, can_administer=True)
    assert why_cannot_sign(ready(), approver, "Engineering", A) == (
        "Only Bo Berg can sign as Accountable for Engineering",
    )


def test_a_role_nobody_holds_cannot_be_signed() -> None:
    assert why_cannot_sign(ready(), reviewer(BO), "Security/Privacy", C) == (
        "Security/Privacy has no Consulted",
    )


def test_informed_sign_nothing() -> None:
    assert why_cannot_sign(ready(), reviewer(ED), "Engineering", INFORMED) == (
        "Informed people are notified and sign nothing",
    )


def test_an_author_never_signs_on_their_own_spec_in_any_slot() -> None:
    areas = (Area("Engineering", accountable=(ANA,), responsible=(ANA,)), SECURITY)
    snapshot = ready(areas=areas)
    for role in (A, R):
        assert why_cannot_sign(snapshot, AUTHOR, "Engineering", role) == (
            "The author cannot sign off on their own spec",
        )


def test_signing_needs_review_permission() -> None:
    assert why_cannot_sign(ready(), Actor(BO), "Engineering", A) == (
        "You do not have review permission on this spec",
    )


def test_unknown_area_is_refused() -> None:
    assert why_cannot_sign(ready(), reviewer(BO), "Legal", A) == ("There is no RACI area 'Legal'",)


@pytest.mark.parametrize("state", [State.DRAFT, State.APPROVED, State.REJECTED, State.WITHDRAWN])
def test_sign_offs_only_during_review(state: State) -> None:
    assert why_cannot_sign(ready(state=state), reviewer(BO), "Engineering", A) == (
        f"Sign-offs are recorded during review, not in {state.label}",
    )


def test_sign_offs_continue_while_changes_are_requested() -> None:
    snapshot = ready(state=State.CHANGES_REQUESTED)
    assert why_cannot_sign(snapshot, reviewer(SOFIA), "Security/Privacy", A) == ()


def test_request_changes_needs_a_comment() -> None:
    snapshot = ready()
    problems = sign_off_problems(snapshot, reviewer(BO), "Engineering", A, Verdict.REQUEST_CHANGES)
    assert problems == ("Requesting changes needs a comment",)
    assert sign_off_problems(
        snapshot, reviewer(BO), "Engineering", A, Verdict.REQUEST_CHANGES, comment="   "
    ) == ("Requesting changes needs a comment",)
    assert (
        sign_off_problems(
            snapshot, reviewer(BO), "Engineering", A, Verdict.REQUEST_CHANGES, comment="Add SLOs"
        )
        == ()
    )


def test_concerns_need_a_comment() -> None:
    snapshot = ready()
    assert sign_off_problems(snapshot, reviewer(DI), "Engineering", C, Verdict.CONCERNS) == (
        "Concerns need a comment",
    )
    assert sign_off_problems(snapshot, reviewer(DI), "Engineering", C, Verdict.NO_CONCERNS) == ()


def test_approve_needs_no_comment() -> None:
    assert sign_off_problems(ready(), reviewer(CY), "Engineering", R, Verdict.APPROVE) == ()


def test_decision_must_fit_the_role() -> None:
    assert sign_off_problems(ready(), reviewer(DI), "Engineering", C, Verdict.APPROVE) == (
        "Consulted can record No concerns or Concerns, not Approve",
    )
    assert sign_off_problems(ready(), reviewer(BO), "Engineering", A, Verdict.NO_CONCERNS) == (
        "Accountable can record Approve or Request changes, not No concerns",
    )


def test_problems_combine_slot_and_decision() -> None:
    assert sign_off_problems(ready(), reviewer(CY), "Engineering", A, Verdict.REQUEST_CHANGES) == (
        "Only Bo Berg can sign as Accountable for Engineering",
        "Requesting changes needs a comment",
    )


# the matrix


def test_matrix_shows_each_person_on_the_current_version() -> None:
    snapshot = ready(
        signoffs=(
            signed(ENGINEERING, R, CY, Verdict.APPROVE, version=3),
            signed(ENGINEERING, C, DI, Verdict.CONCERNS, comment="Quota?"),
            signed(SECURITY, A, SOFIA, Verdict.APPROVE),
        )
    )
    engineering, security = signoff_matrix(snapshot)
    assert engineering == AreaRow(
        area="Engineering",
        cells=(
            MatrixCell(R, CY, "Cy Chen", CellState.STALE, stale_from=3),
            MatrixCell(A, BO, "Bo Berg", CellState.PENDING),
            MatrixCell(C, DI, "Di Diaz", CellState.CONCERNS, comment="Quota?"),
        ),
        informed=("Ed Ekman",),
        turn="waiting on Cy Chen (Responsible), Bo Berg (Accountable)",
        done=False,
    )
    assert [cell.label for cell in engineering.cells] == ["stale from v3", "pending", "concerns"]
    assert security.turn == "done"
    assert security.done
    assert security.cells[0].label == "approved"


def test_stale_shows_the_latest_older_approval_never_a_veto() -> None:
    """A veto still in force is carried to the current version; one that was not carried was
    withdrawn, so what is stale is the latest approval before it."""
    snapshot = ready(
        signoffs=(
            signed(ENGINEERING, A, BO, Verdict.APPROVE, version=2),
            signed(ENGINEERING, A, BO, Verdict.REQUEST_CHANGES, version=3, comment="x"),
        )
    )
    cell = signoff_matrix(snapshot)[0].cells[1]
    assert (cell.state, cell.stale_from) == (CellState.STALE, 2)


def test_whose_turn_names_the_accountable_last() -> None:
    snapshot = ready(signoffs=(signed(ENGINEERING, R, CY, Verdict.APPROVE),))
    rows = signoff_matrix(snapshot)
    assert rows[0].turn == "waiting on Di Diaz (Consulted), Bo Berg (Accountable)"
    assert rows[1].turn == "waiting on Sofia Rossi (Accountable)"


def test_whose_turn_after_changes_were_requested() -> None:
    snapshot = ready(
        signoffs=(signed(ENGINEERING, R, CY, Verdict.REQUEST_CHANGES, comment="Add SLOs"),)
    )
    row = signoff_matrix(snapshot)[0]
    assert row.cells[0].label == "changes requested"
    assert row.turn == (
        "waiting on Ana Author (author) for a new version; "
        "changes requested by Cy Chen (Responsible)"
    )


def test_area_is_done_only_when_its_accountable_approved_this_version() -> None:
    stale = ready(signoffs=(signed(ENGINEERING, A, BO, Verdict.APPROVE, version=3),))
    assert not signoff_matrix(stale)[0].done
    current = ready(signoffs=(signed(ENGINEERING, A, BO, Verdict.APPROVE),))
    assert signoff_matrix(current)[0].done


def test_whose_turn_for_malformed_areas() -> None:
    areas = (
        Area("Engineering", accountable=(BO, CY)),
        Area("Ops"),
        Area("Security/Privacy", accountable=(ANA,)),
    )
    turns = [row.turn for row in signoff_matrix(ready(areas=areas))]
    assert turns == [
        "needs exactly one Accountable",
        "needs exactly one Accountable",
        "needs an Accountable other than the author",
    ]
