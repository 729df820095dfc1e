"""Hostile input finishes in bounded time (the bound is a hang guard; bench/ has real numbers)."""

import time

import pytest

from speclint import builtin_profile, lint_text

from .hostile_inputs import CASES

HANG_GUARD_SECONDS = 10.0


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("profile", ["tech-spec", "generic"])
def test_pathological_input_finishes(name, profile):
    started = time.perf_counter()
    lint_text(CASES[name], profile=builtin_profile(profile))
    assert time.perf_counter() - started < HANG_GUARD_SECONDS
