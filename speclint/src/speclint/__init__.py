"""speclint: the template-aware Markdown spec linter (pure Python, no Django).

Plain values in, frozen dataclasses out; only :mod:`speclint.cli` reads files or prints.
The contract (rule ids, severities, line semantics, JSON shape) is ``docs/lint-rules.md``.
"""

from .catalog import builtin_profile, builtin_profile_names, infer_profile, select_profile
from .document import Document, parse_document
from .lint import lint_document, lint_text
from .model import (
    ChecklistSpec,
    Finding,
    LintResult,
    MetadataSpec,
    Profile,
    ProfileError,
    SectionSpec,
    TableSpec,
    describe_profile,
)
from .rules.registry import RULES

# The distribution's version (speclint/pyproject.toml reads it); SARIF carries it as the
# tool's version. LINTER_VERSION below is a different number: it changes with the findings.
__version__ = "0.1.0"

# Bump whenever a change to a rule or a built-in profile changes the findings for some input:
# stored versions linted by an older number are re-linted by `manage.py reanalyse_versions`.
LINTER_VERSION = 1

__all__ = [
    "LINTER_VERSION",
    "RULES",
    "ChecklistSpec",
    "Document",
    "Finding",
    "LintResult",
    "MetadataSpec",
    "Profile",
    "ProfileError",
    "SectionSpec",
    "TableSpec",
    "builtin_profile",
    "builtin_profile_names",
    "describe_profile",
    "infer_profile",
    "lint_document",
    "lint_text",
    "parse_document",
    "select_profile",
]
