"""The linter on real template processes (KEPs, Rust RFCs, MADR): the figures reached so far.

The thresholds are the figures measured when this test was written (see the bench's output in
real_corpus/README.md); a change that makes any of them worse fails here.
"""

import pytest

from .real_corpus_scoring import CORPORA, REAL_CORPUS, score_real_corpus


@pytest.fixture(scope="module", params=CORPORA)
def report(request):
    return score_real_corpus(request.param)


def test_each_corpus_has_a_template_and_enough_real_documents(report):
    folder = REAL_CORPUS / report.name
    assert (folder / "template.md").exists()
    assert 15 <= report.documents <= 30


def test_accepted_documents_get_few_findings(report):
    assert report.median <= 3


def test_every_finding_on_an_accepted_document_is_labelled(report):
    assert report.unlabelled == []


def test_labelled_precision(report):
    if report.precision is None:  # MADR: no finding at all on its accepted documents
        assert report.findings_per_document == [0] * report.documents
    else:
        assert report.precision >= 0.9


def test_seeded_defect_recall(report):
    assert report.seeded >= 4 * report.documents
    assert report.recall >= 0.98
