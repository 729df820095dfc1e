import threading

import pytest
from django.db import IntegrityError, connections, transaction

from speclint.intake import IntakeError
from specs import actions
from specs.models import RenderState, Spec, SpecVersion

pytestmark = pytest.mark.django_db


def test_upload_creates_an_analysed_immutable_version(make_spec):
    spec = make_spec()
    version = spec.current_version
    assert version.number == 1
    assert version.render_state == RenderState.RENDERED
    assert 'data-source-line="1"' in version.rendered_html
    assert version.linted_at is not None
    assert len(version.sha256) == 64 and version.size_bytes == len(bytes(version.original_bytes))


def test_identical_content_creates_nothing(make_spec, author):
    spec = make_spec()
    outcome = actions.upload_version(
        spec=spec, data=bytes(spec.current_version.original_bytes), uploaded_by=author
    )
    assert not outcome.created
    assert outcome.version.number == 1
    assert spec.versions.count() == 1


def test_crlf_and_bom_are_normalised_but_the_exact_bytes_are_kept(make_spec, author):
    spec = make_spec()
    data = b"\xef\xbb\xbf# Title\r\n\r\nLine two\rLine three\r\n"
    version = actions.upload_version(spec=spec, data=data, uploaded_by=author).version
    assert version.source == "# Title\n\nLine two\nLine three\n"
    assert bytes(version.original_bytes) == data
    # Same text with other line endings is the same content: no new version.
    again = actions.upload_version(
        spec=spec, data=b"# Title\n\nLine two\nLine three\n", uploaded_by=author
    )
    assert not again.created


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"# ok\n" + b"x" * (1024 * 1024), "too-large"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "binary"),
        (b"# Title\n\x00\n", "nul-byte"),
        (b"# Caf\xe9\n", "not-utf8"),
        (b"   \n\n", "empty"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(make_spec, author, data, code):
    spec = make_spec()
    with pytest.raises(IntakeError) as refused:
        actions.upload_version(spec=spec, data=data, uploaded_by=author)
    assert refused.value.code == code
    assert spec.versions.count() == 1


def test_uploaded_content_cannot_be_rewritten_even_bypassing_the_orm_rules(make_spec):
    version = make_spec().current_version
    with pytest.raises(IntegrityError), transaction.atomic():
        SpecVersion.objects.filter(pk=version.pk).update(source="rewritten history")
    with pytest.raises(IntegrityError), transaction.atomic():
        SpecVersion.objects.filter(pk=version.pk).delete()


def test_large_versions_are_analysed_by_the_worker_path(
    make_spec, author, settings, django_capture_on_commit_callbacks
):
    settings.SPEC_INLINE_ANALYSIS_BYTES = 10
    spec = make_spec()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = actions.upload_version(
            spec=spec, data=b"# Big\n\nNow longer.\n", uploaded_by=author
        ).version
    assert version.render_state == RenderState.PENDING
    assert len(callbacks) == 1  # the analysis task is published after commit
    actions.analyse_version(version.pk)
    version.refresh_from_db()
    assert version.render_state == RenderState.RENDERED
    assert version.lint_errors is not None


def test_a_render_that_exceeds_the_time_limit_is_stored_as_could_not_render(
    make_spec, author, settings
):
    settings.SPEC_RENDER_TIME_LIMIT_SECONDS = 0.05
    spec = make_spec()
    hostile = "[" * 40_000  # markdown-it-py spends ~0.4 s of CPU on this
    version = actions.upload_version(spec=spec, data=hostile.encode(), uploaded_by=author).version
    assert version.render_state == RenderState.FAILED
    assert "timed out" in version.render_error
    assert "<table" in version.rendered_html  # the escaped source, line by line


@pytest.mark.django_db(transaction=True)
def test_racing_uploads_land_as_distinct_consecutive_versions(make_spec, author):
    spec = make_spec()
    racers = 6
    barrier = threading.Barrier(racers)
    errors: list[BaseException] = []

    def upload(index: int) -> None:
        try:
            barrier.wait()
            actions.upload_version(
                spec=Spec.objects.get(pk=spec.pk),
                data=f"# Racer {index}\n".encode(),
                uploaded_by=author,
            )
        except BaseException as exc:  # reported below, with the others
            errors.append(exc)
        finally:
            connections.close_all()  # each thread had its own real database connection

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    numbers = sorted(spec.versions.values_list("number", flat=True))
    assert numbers == list(range(1, racers + 2))
    sources = set(spec.versions.values_list("source", flat=True))
    assert {f"# Racer {i}\n" for i in range(racers)} <= sources
    spec.refresh_from_db()
    assert spec.current_version.number == racers + 1


def test_a_linter_crash_never_loses_the_upload(make_spec, author, monkeypatch):
    import speclint

    def explode(*args, **kwargs):
        raise RuntimeError("linter bug")

    monkeypatch.setattr(speclint, "lint_document", explode)
    spec = make_spec()
    version = actions.upload_version(
        spec=spec, data=b"# Still stored\n", uploaded_by=author
    ).version
    assert version.pk and version.render_state == RenderState.RENDERED
    assert version.lint_errors == 1
    assert version.lint_findings is not None
    assert version.lint_findings[0]["rule"] == "linter-crashed"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("tech-spec", "tech-spec"),
        ("ai-spec", "ai-spec"),
        ("feature-spec", "feature-spec"),
        ("python-contract", "python-contract"),
    ],
)
def test_the_template_a_document_follows_is_detected(template, expected):
    from specs.profiles import detect_profile
    from tests.seeds import PROFILES

    text = (PROFILES / f"{template}.md").read_text(encoding="utf-8")
    assert detect_profile(text).name == expected


@pytest.mark.django_db(transaction=True)
def test_a_version_queued_while_the_broker_was_down_is_analysed_by_the_sweep(
    make_spec, author, settings, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    from config.celery import app
    from specs import tasks
    from tests.conftest import reset_broker_connections

    settings.SPEC_INLINE_ANALYSIS_BYTES = 1
    spec = make_spec()
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens: the publish fails
    reset_broker_connections(app)
    try:
        version = actions.upload_version(
            spec=spec, data=b"# Queued\n\ntext\n", uploaded_by=author
        ).version
    finally:
        app.conf.broker_url = settings.CELERY_BROKER_URL
        reset_broker_connections(app)
    version.refresh_from_db()
    assert version.render_state == RenderState.PENDING  # committed, nothing lost
    SpecVersion.objects.filter(pk=version.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    assert actions.stale_pending_version_ids() == [version.pk]
    published = []
    monkeypatch.setattr(tasks, "publish", lambda task, *args: published.append(args))
    tasks.sweep_pending_versions_task()
    assert published == [(version.pk,)]
    tasks.analyse_version_task(version.pk)  # what the worker runs for that nudge
    version.refresh_from_db()
    assert version.render_state == RenderState.RENDERED
