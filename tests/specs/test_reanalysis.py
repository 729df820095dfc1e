"""Upgrades: stored renderings and lint results carry the renderer and linter version that
made them, and `manage.py reanalyse_versions` refreshes the older ones, resumably."""

from io import StringIO

import pytest
from django.core.management import call_command

from core.models import AuditEvent
from speclint import LINTER_VERSION
from specs import analysis
from specs.models import ReanalysisPosition, RenderState, SpecVersion
from specs.rendering import RENDERER_VERSION
from specs.tasks import reanalyse_stale_versions_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_versions(make_spec):
    specs = [make_spec(slug) for slug in ("alpha", "beta", "gamma")]
    return [spec.current_version for spec in specs]


def age(*versions: SpecVersion, renderer: int = 0, linter: int = 0) -> None:
    """What an upgrade leaves behind: results from an older renderer and linter."""
    SpecVersion.objects.filter(pk__in=[v.pk for v in versions]).update(
        renderer_version=renderer, linter_version=linter, rendered_html="<p>old</p>"
    )


def reanalyse(*args: str) -> str:
    out = StringIO()
    call_command("reanalyse_versions", *args, stdout=out)
    return out.getvalue()


def current(version: SpecVersion) -> bool:
    version.refresh_from_db()
    return (version.renderer_version, version.linter_version) == (
        RENDERER_VERSION,
        LINTER_VERSION,
    ) and version.rendered_html != "<p>old</p>"


def test_each_analysis_records_the_renderer_and_linter_that_made_it(make_spec):
    version = make_spec().current_version
    assert (version.renderer_version, version.linter_version) == (RENDERER_VERSION, LINTER_VERSION)
    assert not version.analysis_is_stale
    assert {"renderer_version", "linter_version"} <= set(analysis.RESULT_FIELDS)


def test_older_results_are_refreshed_in_batches_with_a_progress_bar(three_versions):
    alpha, beta, gamma = three_versions
    age(alpha, gamma)
    age(beta, renderer=RENDERER_VERSION, linter=LINTER_VERSION - 1)
    assert SpecVersion.objects.analysed_by_older_tools().count() == 3

    output = reanalyse("--batch-size", "2")

    assert "[" + "." * 30 + "] 0/3 versions (0%)" in output
    assert "[" + "#" * 20 + "." * 10 + "] 2/3 versions (67%)" in output
    assert "[" + "#" * 30 + "] 3/3 versions (100%)" in output
    assert "3 re-analysed, 0 already current, 0 failed" in output
    assert all(current(v) for v in three_versions)
    assert SpecVersion.objects.analysed_by_older_tools().count() == 0
    events = AuditEvent.objects.filter(verb="version.reanalysed")
    assert sorted(e.target for e in events) == sorted(f"version:{v.pk}" for v in three_versions)


def test_running_it_twice_changes_nothing_the_second_time(three_versions):
    age(*three_versions)
    reanalyse()
    stamps = list(SpecVersion.objects.order_by("pk").values_list("rendered_at", flat=True))

    output = reanalyse()

    assert "0 re-analysed" in output and "0/0 versions" in output
    assert list(SpecVersion.objects.order_by("pk").values_list("rendered_at", flat=True)) == stamps
    assert AuditEvent.objects.filter(verb="version.reanalysed").count() == 3


def test_an_interrupted_run_resumes_after_the_last_version_it_finished(three_versions):
    alpha, beta, gamma = three_versions
    age(*three_versions)

    first = reanalyse("--limit", "1")

    assert "1 re-analysed" in first
    assert current(alpha) and not current(beta) and not current(gamma)
    spot = ReanalysisPosition.objects.get(key=f"r{RENDERER_VERSION}-l{LINTER_VERSION}")
    assert (spot.last_version_id, spot.done) == (alpha.pk, 1)

    second = reanalyse()

    assert f"resuming after version #{alpha.pk}" in second
    assert "2/2 versions" in second and "2 re-analysed" in second
    assert current(beta) and current(gamma)
    assert ReanalysisPosition.objects.get().last_version_id == 0  # the round is over


def test_a_version_that_fails_is_logged_and_the_run_goes_on(three_versions, monkeypatch):
    alpha, beta, gamma = three_versions
    age(*three_versions)
    real, calls = analysis.analyse, []

    def fails_the_first_time(text, **kwargs):
        calls.append(text)
        if len(calls) == 1:
            raise RuntimeError("renderer bug")
        return real(text, **kwargs)

    monkeypatch.setattr(analysis, "analyse", fails_the_first_time)

    output = reanalyse()

    assert "2 re-analysed, 0 already current, 1 failed" in output
    assert [current(alpha), current(beta), current(gamma)] == [False, True, True]
    assert ReanalysisPosition.objects.get().failed == 1
    # The next run goes back over what failed.
    assert "1 re-analysed" in reanalyse()
    assert current(alpha)


def test_pending_versions_are_left_to_their_first_analysis(three_versions):
    alpha, *_ = three_versions
    SpecVersion.objects.filter(pk=alpha.pk).update(
        render_state=RenderState.PENDING, renderer_version=0, linter_version=0
    )
    alpha.refresh_from_db()
    assert not alpha.analysis_is_stale
    assert "0/0 versions" in reanalyse()
    alpha.refresh_from_db()
    assert alpha.render_state == RenderState.PENDING


def test_all_re_analyses_current_versions_once(three_versions):
    output = reanalyse("--all")
    assert "3 re-analysed" in output and "target all-" in output
    assert "0/0 versions" in reanalyse("--all")


def test_the_beat_sweep_refreshes_older_versions_too(three_versions):
    age(*three_versions)
    reanalyse_stale_versions_task()
    assert all(current(v) for v in three_versions)


def test_the_review_page_says_when_a_rendering_is_being_refreshed(client, make_spec, author):
    spec = make_spec()
    client.force_login(author)
    notice = b"are being refreshed"
    assert notice not in client.get(spec.get_absolute_url()).content
    age(spec.current_version)
    page = client.get(spec.get_absolute_url())
    assert page.status_code == 200 and notice in page.content
    partial = client.get(f"/specs/{spec.slug}/v1/?partial=rendered", headers={"HX-Request": "true"})
    assert notice in partial.content
