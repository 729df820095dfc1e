"""``speclint`` command line: the only module of the linter that reads files or prints.

Exit status: 0 no error finding, 1 at least one error finding, 2 usage error or unreadable file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from . import __version__
from .catalog import builtin_profile, builtin_profile_names, infer_profile
from .intake import IntakeError, decode_spec_bytes
from .lint import lint_text
from .model import LintResult, Profile, ProfileError
from .output import UnreadableInput, to_json, to_sarif, to_text
from .policy import POLICY_PACKS

__all__ = ["main"]

EXIT_CLEAN = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2
_RENDERERS = {"text": to_text, "json": to_json}
_FORMATS = ("json", "sarif", "text")


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="speclint",
        description="Lint Markdown specs against their template's profile.",
        epilog="Exit status: 0 no errors, 1 errors found, 2 usage error or unreadable file.",
    )
    parser.add_argument(
        "--profile",
        metavar="NAME|TEMPLATE.md",
        help=f"built-in profile ({', '.join(builtin_profile_names())}) or a template to infer "
        "one from; omitted: the built-in whose sections the document best matches",
    )
    parser.add_argument("--format", choices=_FORMATS, default="text")
    parser.add_argument("--policy", choices=POLICY_PACKS, help="also check a policy pack")
    parser.add_argument("--version", action="version", version=f"speclint {__version__}")
    parser.add_argument("files", nargs="+", metavar="FILE", help="Markdown files ('-' for stdin)")
    return parser


def _read_text(name: str, stdin: TextIO | None) -> str:
    if name == "-":
        stream = stdin if stdin is not None else sys.stdin
        data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode()
    else:
        path = Path(name)
        if not path.exists():
            raise _UsageError(f"{name}: no such file")
        if path.is_dir():
            raise _UsageError(f"{name}: is a directory")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise _UsageError(f"{name}: cannot be read ({error.strerror})") from None
    try:
        return decode_spec_bytes(data).text
    except IntakeError as error:
        if error.code == "empty":
            return ""
        raise _UsageError(f"{name}: {error.message}") from None


def _profile(value: str | None, stdin: TextIO | None) -> Profile | None:
    if value is None:
        return None
    if value in builtin_profile_names():
        return builtin_profile(value)
    if not Path(value).exists():
        known = ", ".join(builtin_profile_names())
        raise _UsageError(f"--profile {value}: neither a built-in profile ({known}) nor a file")
    template = _read_text(value, stdin)
    try:
        return infer_profile(template, name=Path(value).stem)
    except ProfileError as error:
        raise _UsageError(f"--profile {value}: {error}") from None


def main(
    argv: list[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    parser = _parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit_request:
        return exit_request.code if isinstance(exit_request.code, int) else EXIT_USAGE
    try:
        profile = _profile(arguments.profile, stdin)
    except _UsageError as error:
        err.write(f"speclint: {error}\n")
        return EXIT_USAGE
    results: list[LintResult] = []
    unreadable: list[UnreadableInput] = []
    for name in arguments.files:
        try:
            text = _read_text(name, stdin)
        except _UsageError as error:
            err.write(f"speclint: {error}\n")
            unreadable.append(UnreadableInput(path=name, reason=str(error)))
            continue
        results.append(lint_text(text, profile=profile, path=name, policy=arguments.policy))
    if arguments.format == "sarif":
        # Always a document: code scanning shows why a run found nothing (ADR 0011).
        out.write(to_sarif(results, source_root=Path.cwd(), unreadable=unreadable))
    elif results:
        out.write(_RENDERERS[arguments.format](results))
    if unreadable:
        return EXIT_USAGE
    return EXIT_ERRORS if any(result.has_errors for result in results) else EXIT_CLEAN


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
