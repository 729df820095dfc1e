"""Gate evaluation and carry-over of ticks between versions."""

from __future__ import annotations

import pytest

from reviews.rules.gates import (
    CarryOver,
    GateItem,
    GateProgress,
    GateState,
    GateTick,
    carry_over,
    gate_progress,
    gate_reasons,
    mark_problems,
)

UNCHECKED, CHECKED, NA = GateState.UNCHECKED, GateState.CHECKED, GateState.NA

ROLLBACK = GateItem("rollback", "Rollback tested", CHECKED)
THREATS = GateItem("threats", "Threat model reviewed", NA, reason="No new data flows")
DASHBOARDS = GateItem("dashboards", "Dashboards exist")
RUNBOOK = GateItem("runbook", "Runbook linked")
SLOS = GateItem("slos", "SLOs defined")


def test_progress_counts_checked_and_na_with_reason() -> None:
    progress = gate_progress([ROLLBACK, THREATS, DASHBOARDS, RUNBOOK])
    assert progress == GateProgress(done=2, total=4, missing=(DASHBOARDS, RUNBOOK))
    assert progress.percent == 50
    assert not progress.complete


def test_percent_rounds_down_so_100_means_done() -> None:
    assert gate_progress([ROLLBACK, THREATS, DASHBOARDS]).percent == 66


def test_complete_checklist() -> None:
    progress = gate_progress([ROLLBACK, THREATS])
    assert (progress.percent, progress.complete, progress.missing) == (100, True, ())
    assert gate_reasons(progress) == ()


def test_no_checklist_is_complete() -> None:
    progress = gate_progress([])
    assert (progress.done, progress.total, progress.percent, progress.complete) == (0, 0, 100, True)


def test_na_without_a_reason_is_not_done() -> None:
    blank = GateItem("threats", "Threat model reviewed", NA, reason=" \n")
    assert not blank.done
    progress = gate_progress([ROLLBACK, blank])
    assert progress.missing == (blank,)
    assert gate_reasons(progress) == ("N/A needs a reason: Threat model reviewed",)


@pytest.mark.parametrize(
    ("items", "reason"),
    [
        ([DASHBOARDS], "1 gate item is neither checked nor N/A: Dashboards exist"),
        (
            [DASHBOARDS, RUNBOOK, ROLLBACK],
            "2 gate items are neither checked nor N/A: Dashboards exist, Runbook linked",
        ),
        (
            [GateItem(f"k{i}", f"Item {i}") for i in range(5)],
            "5 gate items are neither checked nor N/A: Item 0, Item 1, Item 2, …",
        ),
    ],
)
def test_reasons_name_the_missing_items(items: list[GateItem], reason: str) -> None:
    assert gate_reasons(gate_progress(items)) == (reason,)


def test_mark_problems() -> None:
    assert mark_problems(NA) == ("N/A needs a reason",)
    assert mark_problems(NA, "   ") == ("N/A needs a reason",)
    assert mark_problems(NA, "Internal tool only") == ()
    assert mark_problems(CHECKED) == ()
    assert mark_problems(UNCHECKED) == ()


def tick(key: str, state: GateState = CHECKED, reason: str = "", version: int = 3) -> GateTick:
    return GateTick(key=key, state=state, version=version, by=42, reason=reason)


def fresh(*items: GateItem) -> tuple[GateItem, ...]:
    """The items as they stand on the new version: nothing recorded yet."""
    return tuple(GateItem(item.key, item.label) for item in items)


def test_ticks_carry_over_to_items_with_the_same_key() -> None:
    ticks = [tick("rollback"), tick("threats", NA, "No new data flows")]
    result = carry_over(ticks, fresh(ROLLBACK, THREATS, DASHBOARDS))
    assert result == CarryOver(carried=tuple(ticks), skipped=())


def test_items_gone_from_the_new_version_are_not_carried() -> None:
    result = carry_over([tick("rollback"), tick("slos")], fresh(ROLLBACK, DASHBOARDS))
    assert result.carried == (tick("rollback"),)
    assert result.skipped == ((tick("slos"), "no longer on the checklist"),)


def test_key_not_label_decides() -> None:
    renamed = GateItem("rollback", "Rollback tested in staging")
    assert carry_over([tick("rollback")], [renamed]).carried == (tick("rollback"),)
    relabelled = GateItem("rollback-staging", "Rollback tested")
    assert carry_over([tick("rollback")], [relabelled]).carried == ()


def test_carry_over_never_overwrites_a_decision_on_the_new_version() -> None:
    already = GateItem("rollback", "Rollback tested", NA, reason="Feature flag only")
    result = carry_over([tick("rollback")], [already])
    assert result.skipped == ((tick("rollback"), "already recorded on this version"),)


def test_invalid_ticks_are_not_carried() -> None:
    blank_na = tick("threats", NA, "")
    untick = tick("rollback", UNCHECKED)
    result = carry_over([blank_na, untick], fresh(ROLLBACK, THREATS))
    assert result.carried == ()
    assert result.skipped == ((blank_na, "N/A without a reason"), (untick, "not ticked"))


def test_one_tick_per_item_is_carried() -> None:
    first, second = tick("rollback", version=2), tick("rollback", NA, "n/a", version=3)
    result = carry_over([first, second], fresh(ROLLBACK))
    assert result.carried == (first,)
    assert result.skipped == ((second, "another tick for this item is carried over"),)
