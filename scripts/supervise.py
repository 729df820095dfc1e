"""Keep the processes of `make run` alive: a child that dies on its own is started again.

A Celery worker can die of things outside our code (a broker transport bug while Redis is
away, the OOM killer); the worker re-delivers nothing while it is gone. What runs it must
restart it: systemd, Docker's restart policy, Kubernetes, and here, this.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# A child that keeps dying waits longer each time (1, 2, 4 … 30 s); one that ran a minute is
# considered healthy again.
FIRST_DELAY, MAX_DELAY, HEALTHY_AFTER = 1.0, 30.0, 60.0


@dataclass
class Child:
    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    restart_at: float | None = None
    delay: float = FIRST_DELAY
    restarts: int = 0


@dataclass
class Supervisor:
    commands: dict[str, list[str]]
    cwd: Path
    env: dict[str, str]
    say: Callable[[str], None] = print
    log_dir: Path | None = None  # each child's output to <name>.log there, else inherited
    children: dict[str, Child] = field(default_factory=dict)

    def start(self) -> None:
        for name, command in self.commands.items():
            self.children[name] = Child(name, command)
            self._spawn(self.children[name])

    def check(self) -> None:
        """One pass: notice children that died, start those whose wait is over."""
        now = time.monotonic()
        for child in self.children.values():
            process = child.process
            if process is not None and process.poll() is not None:
                if now - child.started_at > HEALTHY_AFTER:
                    child.delay = FIRST_DELAY
                self.say(
                    f"{child.name} exited with status {process.returncode}; "
                    f"restarting it in {child.delay:.0f} s"
                )
                child.process, child.restart_at = None, now + child.delay
                child.delay = min(child.delay * 2, MAX_DELAY)
            if child.process is None and child.restart_at is not None and now >= child.restart_at:
                child.restarts += 1
                self._spawn(child)

    def stop(self, grace: float = 15) -> None:
        running = [c.process for c in self.children.values() if c.process is not None]
        for process in running:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def _spawn(self, child: Child) -> None:
        # Own session per child: Ctrl-C reaches us once, and we stop each child in order.
        output = None
        if self.log_dir is not None:
            output = (self.log_dir / f"{child.name}.log").open("ab")
        child.process = subprocess.Popen(
            child.command,
            cwd=self.cwd,
            env=self.env,
            start_new_session=True,
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
        )
        if output is not None:
            output.close()  # the child holds its own descriptor
        child.started_at, child.restart_at = time.monotonic(), None
