"""Filled specs: clean ones have zero findings, every planted defect is found."""

import pytest

from speclint import builtin_profile_names, lint_text

from .corpus_scoring import CORPUS, expected_findings, score_corpus


@pytest.fixture(scope="module")
def score():
    return score_corpus()


def test_every_built_in_profile_has_at_least_three_clean_specs():
    for name in builtin_profile_names():
        clean = [p for p in (CORPUS / name).glob("*.md") if not expected_findings(p)]
        assert len(clean) >= 3, name


def test_clean_specs_have_zero_findings(score):
    assert score.clean_findings == {}


def test_every_planted_defect_is_found(score):
    assert score.missed == {}
    assert all(item.recall == 1.0 for item in score.rules.values())


def test_no_spurious_findings_in_defect_copies(score):
    assert {rule: item.precision for rule, item in score.rules.items() if item.precision < 1} == {}


def test_planted_defects_cover_most_rules(score):
    assert len(score.rules) >= 25


CLEAN_SPECS = sorted(p for p in CORPUS.glob("*/*.md") if not expected_findings(p))


@pytest.mark.parametrize("spec", CLEAN_SPECS, ids=lambda path: path.name)
def test_clean_specs_are_recognised_as_their_profile(spec):
    assert lint_text(spec.read_text(encoding="utf-8")).profile == spec.parent.name
