import os
import signal
import time

import pytest

from specs.rendering import guard, render_markdown
from specs.rendering.guard import render_source_as_escaped_html, render_with_time_limit
from tests import seeds

from .hostile import PATHOLOGICAL

SEED = seeds.TECH_SPEC
# Each of these takes markdown-it-py well over a second at 1 MiB.
SLOW = {
    name: PATHOLOGICAL[name](1 << 20) for name in ("nested [", "![ openers", "^[ inline footnotes")
}


@pytest.fixture
def forked_pids(monkeypatch):
    pids: list[int] = []
    real_fork = os.fork

    def recording_fork():
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(guard.os, "fork", recording_fork)
    return pids


def assert_reaped(pid: int) -> None:
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_renders_the_same_document_as_an_unguarded_render(forked_pids):
    source = SEED.read_text(encoding="utf-8")

    outcome = render_with_time_limit(source, seconds=10)

    assert outcome.ok and outcome.failure is None
    assert outcome.document == render_markdown(source)
    assert_reaped(forked_pids[0])


@pytest.mark.parametrize("name", list(SLOW))
def test_slow_input_is_killed_at_the_deadline(name, forked_pids):
    started = time.monotonic()

    outcome = render_with_time_limit(SLOW[name], seconds=0.3)

    assert not outcome.ok
    assert outcome.failure == "timed out after 0.3 s"
    assert time.monotonic() - started < 1.5
    assert_reaped(forked_pids[0])


def test_memory_cap_reports_running_out_of_memory(forked_pids):
    outcome = render_with_time_limit("- item\n" * 200_000, seconds=30, memory_limit_mb=8)

    assert outcome.failure == "ran out of memory"
    assert_reaped(forked_pids[0])


def test_an_exception_in_the_child_is_reported(monkeypatch, forked_pids):
    def broken(text):
        raise ValueError(text)

    monkeypatch.setattr(guard, "render_markdown", broken)

    outcome = render_with_time_limit("x", seconds=5)

    assert outcome.failure == "render failed: ValueError"
    assert_reaped(forked_pids[0])


def test_a_child_killed_by_a_signal_is_reported(monkeypatch, forked_pids):
    def crash(text):
        os.kill(os.getpid(), signal.SIGUSR1)

    monkeypatch.setattr(guard, "render_markdown", crash)

    outcome = render_with_time_limit("x", seconds=5)

    assert outcome.failure == f"render process died (signal {signal.SIGUSR1.value})"
    assert_reaped(forked_pids[0])


def test_a_child_that_hangs_without_cpu_is_still_killed(monkeypatch, forked_pids):
    monkeypatch.setattr(guard, "render_markdown", lambda text: time.sleep(60))

    outcome = render_with_time_limit("x", seconds=0.2)

    assert outcome.failure == "timed out after 0.2 s"
    assert outcome.seconds < 1.0
    assert_reaped(forked_pids[0])


def test_fallback_shows_escaped_source_with_line_numbers():
    html = render_source_as_escaped_html("# Title\n<script>alert(1)</script>\n\nlast")

    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<tr ") == 4
    assert '<tr data-source-line="4" data-source-end="4"><td class="line-number">4</td>' in html
    assert '<td class="line-text"><code></code></td>' in html  # the blank line 3 keeps its row
