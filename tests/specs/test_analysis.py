import pytest

import speclint
from specs import analysis
from specs.models import Profile, RenderState

from .rendering.corpus import SOURCES

pytestmark = pytest.mark.django_db


def test_render_lint_and_structures_come_from_one_child_under_the_limit():
    profile = Profile.objects.get(name="generic")
    text = "# Plan\n\n| Area | Responsible | Accountable | Consulted | Informed |\n"
    text += "|---|---|---|---|---|\n| Eng | a | b | c | d |\n\nTODO\n"
    values = analysis.analyse(text, profile=profile).values
    assert values["render_state"] == RenderState.RENDERED
    assert "<h1" in values["rendered_html"]
    assert any(f["rule"] == "todo-marker" for f in values["lint_findings"])
    assert values["structures"]["raci"][0]["area"] == "Eng"


def test_an_analysis_past_the_limit_stores_a_failed_render_and_one_blocking_finding():
    profile = Profile.objects.get(name="generic")
    values = analysis.analyse("![" * (64 * 1024), profile=profile, seconds=0.3).values
    assert values["render_state"] == RenderState.FAILED
    assert values["render_error"] == "timed out after 0.3 s"
    assert [f["rule"] for f in values["lint_findings"]] == ["linter-crashed"]
    assert values["lint_errors"] == 1 and values["structures"] == {}


@pytest.mark.parametrize(
    "name", sorted(name for name in SOURCES if not name.startswith("CommonMark example"))
)
def test_the_shared_parse_stores_what_two_parses_store(name, monkeypatch):
    text, linter = SOURCES[name], speclint.builtin_profile("tech-spec")
    attachments = {"moon.jpg": "/files/moon.jpg"}
    once = analysis._analyse_in_child(text, linter, "tech-spec", attachments)
    monkeypatch.setattr(analysis, "parse_once", lambda *_: None)  # the path before sharing
    twice = analysis._analyse_in_child(text, linter, "tech-spec", attachments)
    del once["seconds"], twice["seconds"]
    assert once == twice


def test_the_commonmark_examples_store_what_two_parses_store(monkeypatch):
    linter = speclint.builtin_profile("generic")
    examples = {name: text for name, text in SOURCES.items() if name.startswith("CommonMark")}
    once = {
        name: analysis._analyse_in_child(text, linter, "generic", {})
        for name, text in examples.items()
    }
    monkeypatch.setattr(analysis, "parse_once", lambda *_: None)
    for name, text in examples.items():
        twice = analysis._analyse_in_child(text, linter, "generic", {})
        del once[name]["seconds"], twice["seconds"]
        assert once[name] == twice, name


def test_a_spec_without_raw_html_is_parsed_once():
    shared = analysis._parse_once(SOURCES["generated 75 KB"], {})
    assert shared is not None and shared.renderable
    with_html = analysis._parse_once("Owner: <owner name>\n", {})
    assert with_html is not None and not with_html.renderable
