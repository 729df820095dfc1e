"""A private PostgreSQL under .data/ for `make run` and `make test` when DATABASE_URL is unset.

It uses the machine's PostgreSQL binaries when there are any, else the server binaries bundled in
the `pgserver` wheel (installed on demand from requirements/embedded-pg.lock). As root, the server
runs as an unprivileged system user: PostgreSQL refuses to run as root, and rightly so.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("SPEC_REVIEW_DATA_DIR", ROOT / ".data"))
PG_DIR = DATA / "pg"
PORT_FILE = DATA / "pg-port"
DEFAULT_PORT = 54329
DB_NAME = "spec_review"
# The owner runs migrations; the application (web, worker, beat) connects as a role that owns
# nothing and may not rewrite the audit trail (core.dbroles grants it after each migrate).
OWNER_ROLE = "spec_review_owner"
APP_ROLE = "spec_review_app"
SERVICE_USER = "specreview-pg"


class EmbeddedPostgresError(RuntimeError):
    pass


def _usable(bindir: Path) -> bool:
    return all((bindir / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres", "psql"))


def find_bindir() -> Path:
    # EMBEDDED_PG_SOURCE=pgserver skips the machine's binaries: how the fallback gets exercised
    # on a machine that has them.
    if os.environ.get("EMBEDDED_PG_SOURCE") == "pgserver":
        return _pgserver_bindir()
    candidates: list[Path] = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(Path(out.stdout.strip()))
    versions = sorted(
        (p for p in Path("/usr/lib/postgresql").glob("*/bin") if p.parent.name.isdigit()),
        key=lambda p: int(p.parent.name),
    )
    candidates.extend(reversed(versions))
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for bindir in candidates:
        if _usable(bindir):
            return bindir
    return _pgserver_bindir()


def _pgserver_bindir() -> Path:
    def located() -> Path | None:
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                "import importlib.util as u; print(u.find_spec('pgserver').origin)",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode != 0:
            return None
        bindir = Path(probe.stdout.strip()).parent / "pginstall" / "bin"
        return bindir if _usable(bindir) else None

    bindir = located()
    if bindir is None:
        print("No PostgreSQL binaries on this machine: installing the pgserver wheel's copy…")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "-q",
                "--no-deps",
                "--require-hashes",
                "-r",
                str(ROOT / "requirements" / "embedded-pg.lock"),
            ],
            check=True,
        )
        bindir = located()
    if bindir is None:
        raise EmbeddedPostgresError(
            "no PostgreSQL binaries found and pgserver did not provide them"
        )
    return bindir


def _service_user() -> pwd.struct_passwd | None:
    """The account the server runs as: ourselves, or a system user when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                SERVICE_USER,
            ],
            check=True,
        )
        return pwd.getpwnam(SERVICE_USER)


def _reachable_by(user: pwd.struct_passwd, path: Path) -> bool:
    probe = subprocess.run(
        ["test", "-w", str(path)], user=user.pw_uid, group=user.pw_gid, check=False
    )
    return probe.returncode == 0


def _prepare_data_dir(user: pwd.struct_passwd | None) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    if PG_DIR.exists() or PG_DIR.is_symlink():
        return
    if user is None:
        PG_DIR.mkdir(mode=0o700)
        return
    # The service user must reach the data directory; a checkout under a private home (/root)
    # is not reachable, so the cluster then lives under /var/lib with a link from .data/pg.
    probe_dir = DATA / ".probe"
    probe_dir.mkdir(exist_ok=True)
    os.chown(probe_dir, user.pw_uid, user.pw_gid)
    reachable = _reachable_by(user, probe_dir)
    probe_dir.rmdir()
    if reachable:
        PG_DIR.mkdir(mode=0o700)
    else:
        digest = hashlib.sha1(str(ROOT).encode(), usedforsecurity=False).hexdigest()[:12]
        target = Path("/var/lib/spec-review") / digest / "pg"
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
        PG_DIR.symlink_to(target)
    os.chown(PG_DIR.resolve(), user.pw_uid, user.pw_gid)


def cluster_dir() -> Path:
    """The real data directory: .data/pg, or where its link points when the server's user cannot
    reach .data (the server is always given this path, never one through the link)."""
    return PG_DIR.resolve()


def log_file() -> Path:
    return cluster_dir().parent / "pg.log"


def _run(cmd: list[str], user: pwd.struct_passwd | None, **kwargs) -> subprocess.CompletedProcess:
    if user is not None:
        kwargs.update(user=user.pw_uid, group=user.pw_gid, extra_groups=[])
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    return subprocess.run(cmd, env=env, capture_output=True, text=True, check=False, **kwargs)


def port() -> int:
    """EMBEDDED_PG_PORT, else the port this checkout's cluster used last, else 54329."""
    if os.environ.get("EMBEDDED_PG_PORT"):
        return int(os.environ["EMBEDDED_PG_PORT"])
    if PORT_FILE.exists():
        return int(PORT_FILE.read_text().strip())
    return DEFAULT_PORT


def _port_is_free(candidate: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", candidate)) != 0


def _choose_port() -> int:
    """Keep our port, unless another server (another checkout's cluster, say) holds it."""
    wanted = port()
    if _port_is_free(wanted) or os.environ.get("EMBEDDED_PG_PORT"):
        chosen = wanted
    else:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            chosen = sock.getsockname()[1]
    PORT_FILE.write_text(f"{chosen}\n")
    return chosen


def database_url(name: str = DB_NAME, role: str = "postgres") -> str:
    return f"postgres://{role}@127.0.0.1:{port()}/{name}"


ROLES_SQL = f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OWNER_ROLE}') THEN
        CREATE ROLE {OWNER_ROLE} LOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
        CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
    END IF;
END $$;
ALTER DATABASE "{DB_NAME}" OWNER TO {OWNER_ROLE};
"""  # noqa: S608 (constants, not input)

# Clusters made before the two roles existed hold objects owned by the superuser.
OWNERSHIP_SQL = f"""
ALTER SCHEMA public OWNER TO {OWNER_ROLE};
DO $$
DECLARE item record;
BEGIN
    FOR item IN SELECT tablename FROM pg_tables
                WHERE schemaname = 'public' AND tableowner <> '{OWNER_ROLE}' LOOP
        EXECUTE format('ALTER TABLE %I OWNER TO {OWNER_ROLE}', item.tablename);
    END LOOP;
    FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
                JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> '{OWNER_ROLE}' LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO {OWNER_ROLE}', item.signature);
    END LOOP;
END $$;
"""  # noqa: S608 (constants, not input)


def ensure_roles(bindir: Path | None = None) -> None:
    """Create the owner and application roles (idempotent); the owner owns the database."""
    bindir = bindir or find_bindir()
    user = _service_user()
    psql = [str(bindir / "psql"), "-h", "127.0.0.1", "-p", str(port()), "-U", "postgres", "-tAq"]
    for database, script in (("postgres", ROLES_SQL), (DB_NAME, OWNERSHIP_SQL)):
        done = _run([*psql, "-v", "ON_ERROR_STOP=1", "-d", database, "-c", script], user)
        if done.returncode != 0:
            raise EmbeddedPostgresError(f"could not set up roles: {done.stderr.strip()}")


def is_running(bindir: Path | None = None) -> bool:
    if not (PG_DIR / "PG_VERSION").exists() and not PG_DIR.is_symlink():
        return False
    bindir = bindir or find_bindir()
    status = _run([str(bindir / "pg_ctl"), "-D", str(cluster_dir()), "status"], _service_user())
    return status.returncode == 0


def start() -> tuple[str, bool]:
    """Start (initialising on first use) and return (DATABASE_URL, started_by_us)."""
    bindir = find_bindir()
    user = _service_user()
    _prepare_data_dir(user)
    if not (PG_DIR / "PG_VERSION").exists():
        init = _run(
            [
                str(bindir / "initdb"),
                "-D",
                str(cluster_dir()),
                "-U",
                "postgres",
                "-A",
                "trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ],
            user,
        )
        if init.returncode != 0:
            raise EmbeddedPostgresError(f"initdb failed: {init.stderr.strip().splitlines()[-1:]}")
    if is_running(bindir):
        ensure_roles(bindir)
        return database_url(), False
    chosen = _choose_port()
    log = log_file()
    log.touch()
    if user is not None:
        os.chown(log, user.pw_uid, user.pw_gid)
    socket_dir = cluster_dir()  # inside the data dir: owned by the server's user
    started = _run(
        [
            str(bindir / "pg_ctl"),
            "-D",
            str(cluster_dir()),
            "-l",
            str(log),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {chosen} -h 127.0.0.1 -k {socket_dir}",
            "start",
        ],
        user,
    )
    if started.returncode != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
        reason = " ".join(tail) or started.stderr.strip()
        raise EmbeddedPostgresError(f"PostgreSQL did not start on 127.0.0.1:{chosen}: {reason}")
    _ensure_database(bindir, user)
    ensure_roles(bindir)
    return database_url(), True


def _ensure_database(bindir: Path, user: pwd.struct_passwd | None) -> None:
    psql = [str(bindir / "psql"), "-h", "127.0.0.1", "-p", str(port()), "-U", "postgres", "-tAq"]
    for _ in range(50):
        found = _run(
            [
                *psql,
                "-d",
                "postgres",
                "-c",
                f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'",  # noqa: S608 (a constant)
            ],
            user,
        )
        if found.returncode == 0:
            break
        time.sleep(0.2)
    if found.stdout.strip() != "1":
        created = _run([*psql, "-d", "postgres", "-c", f'CREATE DATABASE "{DB_NAME}"'], user)
        if created.returncode != 0:
            raise EmbeddedPostgresError(f"could not create database: {created.stderr.strip()}")


def stop() -> None:
    if not is_running():
        return
    bindir = find_bindir()
    _run(
        [str(bindir / "pg_ctl"), "-D", str(cluster_dir()), "-m", "fast", "-w", "stop"],
        _service_user(),
    )


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "start"
    try:
        if command == "start":
            url, _ = start()
            print(url)
        elif command == "stop":
            stop()
        elif command == "url":
            print(database_url())
        else:
            print(f"usage: {argv[0]} start|stop|url", file=sys.stderr)
            return 2
    except EmbeddedPostgresError as exc:
        print(f"embedded PostgreSQL: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
