"""The fault drill's own servers: an SMTP sink that counts, a PostgreSQL it may restart."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections import Counter
from email.parser import BytesHeaderParser
from pathlib import Path

import devdb  # scripts/, put on the path by bench/fault_drill.py


class Sink:
    """An aiosmtpd server counting every Message-ID it is handed."""

    def __init__(self, port: int) -> None:
        from aiosmtpd.controller import Controller

        self.received: Counter[str] = Counter()
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server, session, envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        headers = BytesHeaderParser().parsebytes(raw if isinstance(raw, bytes) else raw.encode())
        self.received[str(headers["Message-ID"]).strip()] += 1
        return "250 2.0.0 Ok: queued"


class PrivatePostgres:
    """A throwaway cluster this drill may stop and start at will."""

    def __init__(self, port: int) -> None:
        self.port, self.bindir, self.user = port, devdb.find_bindir(), devdb._service_user()
        self.home = Path(tempfile.mkdtemp(prefix="spec-review-drill-"))
        self.data = self.home / "pg"

    def run(self, *args: str) -> None:
        result = devdb._run([str(self.bindir / args[0]), *args[1:]], self.user)
        if result.returncode != 0:
            raise SystemExit(f"drill: {args[0]} failed: {result.stderr.strip()[-500:]}")

    def start(self, *, first: bool = False) -> None:
        if first:
            self.home.chmod(0o755)
            self.data.mkdir(mode=0o700)
            if self.user is not None:
                os.chown(self.data, self.user.pw_uid, self.user.pw_gid)
            self.run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")
        options = f"-p {self.port} -h 127.0.0.1 -k {self.data}"
        log = self.home / "pg.log"
        log.touch()
        if self.user is not None:
            os.chown(log, self.user.pw_uid, self.user.pw_gid)
        self.run("pg_ctl", "-D", str(self.data), "-l", str(log), "-w", "-o", options, "start")
        if first:
            self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "drill")

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(SystemExit):
            self.stop("immediate")
        shutil.rmtree(self.home, ignore_errors=True)


def wait_until(predicate, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.5)
    return None


def header() -> str:
    columns = ("case", "sent", "lost", "duplicated", "unknown", "stuck", "recover s")
    return "{:<20}{:>6}{:>6}{:>12}{:>9}{:>7}{:>11}".format(*columns)


def row(name: str, result: dict) -> str:
    line = "{:<20}{:>6}{:>6}{:>12}{:>9}{:>7}{:>11.1f}".format(
        name,
        result["sent"],
        result["lost"],
        result["duplicated"],
        result["unknown"],
        result["stuck"],
        result["recover"],
    )
    return line + (f"\n{'':<20}({result['note']})" if "note" in result else "")
