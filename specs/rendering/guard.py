"""Run `render_markdown` in a forked child with a hard time limit and a memory cap.

markdown-it-py is pure Python: hostile but valid Markdown (tens of thousands of ``![``,
``^[``, ``[`` or emphasis runs) costs up to a second of CPU per 64 KB, and a regex-heavy
Pygments lexer can do worse. A thread cannot be stopped, so the work runs in a child that
can be killed: the caller always gets an answer within the limit plus a few milliseconds,
and the child is always reaped.

Not pure (fork, pipes, signals), so `specs.rendering` does not import it. The child is made
with a bare ``os.fork`` rather than `multiprocessing`, which refuses to start children from
daemonic processes such as Celery's prefork pool workers.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import resource
import select
import signal
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from .document import ImageReference, OutlineSection, RenderedDocument, TocEntry
from .fallback import render_source_as_escaped_html
from .render import render_markdown

__all__ = [
    "ChildOutcome",
    "RenderOutcome",
    "render_source_as_escaped_html",
    "render_with_time_limit",
    "run_with_time_limit",
]

DEFAULT_MEMORY_LIMIT_MB = 1024

_EXIT_OK = 0
_EXIT_OUT_OF_MEMORY = 3
_EXIT_FAILED = 4
_READ_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class RenderOutcome:
    document: RenderedDocument | None
    failure: str | None  # why there is no document, in words a reviewer may be shown
    seconds: float  # wall time the caller waited

    @property
    def ok(self) -> bool:
        return self.document is not None


@dataclass(frozen=True, slots=True)
class ChildOutcome:
    payload: bytes | None  # what the work returned, None when it did not finish
    failure: str | None  # why there is no payload, in words a reviewer may be shown
    seconds: float


def render_with_time_limit(
    text: str, *, seconds: float, memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB
) -> RenderOutcome:
    """Render `text` in a child process; kill it if it runs past `seconds`.

    `memory_limit_mb` caps how much address space the child may add to what it inherited
    (None: no cap).
    """

    def work() -> bytes:
        return json.dumps(asdict(render_markdown(text)), ensure_ascii=False).encode()

    outcome = run_with_time_limit(work, seconds=seconds, memory_limit_mb=memory_limit_mb)
    if outcome.payload is None:
        return RenderOutcome(None, outcome.failure, outcome.seconds)
    return RenderOutcome(document_from_json(outcome.payload), None, outcome.seconds)


def run_with_time_limit(
    work: Callable[[], bytes],
    *,
    seconds: float,
    memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB,
) -> ChildOutcome:
    """Run `work` in a forked child (which inherits its inputs); kill it past `seconds`."""
    started = time.monotonic()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is its observable result
        _run_child(work, read_end, write_end, seconds, memory_limit_mb)
    os.close(write_end)
    payload, timed_out = b"", True
    try:
        payload, timed_out = _read_until(read_end, started + seconds)
    finally:
        os.close(read_end)
        if timed_out:
            _kill(pid)
        status = _reap(pid)
    waited = time.monotonic() - started
    if timed_out:
        return ChildOutcome(None, f"timed out after {seconds:.1f} s", waited)
    return _outcome(status, payload, seconds, waited)


def _run_child(
    work: Callable[[], bytes],
    read_end: int,
    write_end: int,
    seconds: float,
    memory_limit_mb: int | None,
) -> None:
    """Never returns: the child must not unwind into the caller's stack (or its test runner)."""
    code = _EXIT_FAILED
    try:
        os.close(read_end)
        # A backstop in case the parent dies before it can kill us.
        cpu = math.ceil(seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        if memory_limit_mb is not None:
            _cap_address_space(memory_limit_mb)
        try:
            payload = work()
        except MemoryError:
            code = _EXIT_OUT_OF_MEMORY
        except BaseException as error:
            code = _EXIT_FAILED
            os.write(write_end, type(error).__name__.encode()[:200])
        else:
            _write_all(write_end, payload)
            code = _EXIT_OK
    finally:
        os._exit(code)


def _cap_address_space(extra_mb: int) -> None:
    """Limit the child to what it already maps plus `extra_mb`, where the OS tells us that."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            mapped = int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return
    limit = mapped + extra_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read_until(fd: int, deadline: float) -> tuple[bytes, bool]:
    """Everything the child writes until it closes the pipe; (data, timed_out)."""
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return b"", True
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            return b"", True
        chunk = os.read(fd, _READ_CHUNK)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _reap(pid: int) -> int | None:
    """Wait for the child so it never lingers as a zombie; None if someone else reaped it."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return None
    return os.waitstatus_to_exitcode(status)


def _outcome(exit_code: int | None, payload: bytes, seconds: float, waited: float) -> ChildOutcome:
    if exit_code == _EXIT_OK and payload:
        return ChildOutcome(payload, None, waited)
    if exit_code == _EXIT_OUT_OF_MEMORY:
        return ChildOutcome(None, "ran out of memory", waited)
    if exit_code == -signal.SIGXCPU:
        return ChildOutcome(None, f"timed out after {seconds:.1f} s", waited)
    if exit_code == _EXIT_FAILED:
        reason = payload.decode(errors="replace") or "an unexpected error"
        return ChildOutcome(None, f"render failed: {reason}", waited)
    if exit_code is not None and exit_code < 0:
        # SIGKILL we did not send is almost always the kernel's OOM killer.
        if exit_code == -signal.SIGKILL:
            return ChildOutcome(None, "ran out of memory", waited)
        return ChildOutcome(None, f"render process died (signal {-exit_code})", waited)
    return ChildOutcome(None, f"render process exited unexpectedly ({exit_code})", waited)


def document_from_json(payload: bytes) -> RenderedDocument:
    return document_from_dict(json.loads(payload))


def document_from_dict(data: dict) -> RenderedDocument:
    return RenderedDocument(
        html=data["html"],
        toc=tuple(TocEntry(**entry) for entry in data["toc"]),
        front_matter=tuple((key, value) for key, value in data["front_matter"]),
        outline=tuple(OutlineSection(**section) for section in data["outline"]),
        images=tuple(ImageReference(**image) for image in data.get("images", ())),
    )
