import pytest

from specs import analysis
from specs.models import Profile, RenderState

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
