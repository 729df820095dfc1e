"""The two rules that read code blocks: mermaid diagrams and python/json/toml/yaml blocks."""

from __future__ import annotations

import ast
import json
import re
import warnings
from collections.abc import Iterator

import yaml

from .._toml import tomllib
from ..model import Finding
from . import Context
from .registry import finding

__all__ = ["check", "mermaid_problem", "parses_without_elisions", "syntax_problem"]

_MERMAID_TYPE_NAMES = """
    flowchart graph sequenceDiagram classDiagram classDiagram-v2 stateDiagram stateDiagram-v2
    erDiagram journey gantt pie quadrantChart requirementDiagram gitGraph C4Context C4Container
    C4Component C4Dynamic C4Deployment mindmap timeline zenuml sankey-beta sankey xychart-beta
    xychart block-beta block packet-beta packet kanban architecture-beta architecture radar-beta
    treemap-beta
"""
MERMAID_TYPES = frozenset(_MERMAID_TYPE_NAMES.split())
_CLOSERS = {"(": ")", "[": "]", "{": "}"}
_TOML_LINE = re.compile(r"at line (\d+)")
_ELIDED_LINE = re.compile(r"^[ \t]*(?:#|//)?[ \t]*(?:\.\.\.|\u2026)[ \t]*,?[ \t]*$", re.MULTILINE)
_ELIDED_VALUE = re.compile(r"(?<=[:=])[ \t]*(?:\.\.\.|\u2026)(?=[ \t]*,?[ \t]*$)", re.MULTILINE)
_ELIDED_ITEM = re.compile(r",[ \t]*(?:\.\.\.|\u2026)(?=[ \t]*[\]})])")
_TRAILING_COMMA = re.compile(r",(\s*[\]}])")
_LANGUAGES = {
    "python": "python",
    "py": "python",
    "json": "json",
    "toml": "toml",
    "yaml": "yaml",
    "yml": "yaml",
}


def check(context: Context) -> Iterator[Finding]:
    for block in context.doc.code_blocks:
        if not block.fenced:
            continue
        if block.lang == "mermaid":
            diagram_problem = mermaid_problem(block.content)
            if diagram_problem:
                yield finding("mermaid-syntax", block.line, f"Mermaid diagram: {diagram_problem}")
        elif (
            block.lang in _LANGUAGES
            and (problem := syntax_problem(_LANGUAGES[block.lang], block.content))
            and not parses_without_elisions(_LANGUAGES[block.lang], block.content)
        ):
            message, offset = problem
            line = block.line + offset if offset else block.line
            language = _LANGUAGES[block.lang]
            yield finding("code-syntax", line, f"{language} block does not parse: {message}")


def parses_without_elisions(language: str, content: str) -> bool:
    """Illustrative code with parts left out (``...`` on a line of its own, as a value, or as the
    last item of a list) parses once the elisions are taken out: it is judged without them, so a
    real error elsewhere in the block is still reported."""
    if "..." not in content and "\u2026" not in content:
        return False
    kept = _ELIDED_LINE.sub("", content)
    kept = _ELIDED_VALUE.sub(" null" if language in ("yaml", "json") else " None", kept)
    kept = _TRAILING_COMMA.sub(r"\1", _ELIDED_ITEM.sub("", kept))
    return kept != content and syntax_problem(language, kept) is None


def _statements(content: str) -> list[str]:
    lines = [line.strip() for line in content.split("\n")]
    meaningful = [line for line in lines if line and not line.startswith("%%")]
    if meaningful and meaningful[0] == "---":
        closing = next((i for i, line in enumerate(meaningful[1:], 1) if line == "---"), None)
        meaningful = meaningful[closing + 1 :] if closing is not None else []
    return meaningful


def mermaid_problem(content: str) -> str | None:
    statements = _statements(content)
    if not statements:
        return "the block is empty"
    first_word = statements[0].split()[0].rstrip(":;")
    if first_word not in MERMAID_TYPES:
        return f"'{first_word}' is not a known diagram type"
    for statement in statements:
        if statement.count('"') % 2:
            return f"unpaired double quote in '{_short(statement)}'"
    if first_word in ("flowchart", "graph"):
        for statement in statements[1:]:
            if not _brackets_balance(statement):
                return f"node-shape brackets do not balance in '{_short(statement)}'"
    return None


def _short(text: str) -> str:
    return text if len(text) <= 60 else f"{text[:57]}..."


def _brackets_balance(statement: str) -> bool:
    stack: list[str] = []
    in_quote = False
    previous = ""
    for char in statement:
        if char == '"':
            in_quote = not in_quote
        elif in_quote:
            pass
        elif char in _CLOSERS:
            stack.append(_CLOSERS[char])
        elif char == ">" and (previous.isalnum() or previous == "_") and not stack:
            stack.append("]")  # asymmetric node shape: id>label]
        elif char in ")]}" and (not stack or stack.pop() != char):
            return False
        previous = char
    return not stack


def syntax_problem(language: str, content: str) -> tuple[str, int] | None:
    """(message, 1-based line inside the block or 0 when unknown), or None when it parses."""
    try:
        if language == "python":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(content)
        elif language == "json":
            json.loads(content)
        elif language == "toml":
            tomllib.loads(content)
        else:
            for _ in yaml.compose_all(content, Loader=yaml.SafeLoader):
                pass
    except SyntaxError as error:
        return f"{error.msg}", error.lineno or 0
    except json.JSONDecodeError as error:
        return error.msg, error.lineno
    except tomllib.TOMLDecodeError as error:
        match = _TOML_LINE.search(str(error))
        return str(error), int(match.group(1)) if match else 0
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return str(error.problem or error.context), (mark.line + 1) if mark else 0
    except yaml.YAMLError as error:
        return str(error), 0
    except (RecursionError, MemoryError):
        # Too deeply nested for the parser to judge; not evidence of a syntax error.
        return None
    except ValueError as error:
        return str(error), 0
    return None
