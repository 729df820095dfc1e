import pytest

from speclint import builtin_profile, lint_text

GENERIC = builtin_profile("generic")


def code_findings(block: str) -> list[tuple[str, int]]:
    result = lint_text(f"# T\n\n{block}\n", profile=GENERIC)
    return [(f.rule, f.line) for f in result.findings]


@pytest.mark.parametrize(
    "diagram",
    [
        "flowchart LR\n  A[Start] --> B{Decide}\n  B -->|yes| C((Done))\n  D>Flag] --> A",
        "%% a comment\n%%{init: {'theme': 'dark'}}%%\ngraph TD\n  A --> B",
        "---\ntitle: Ledger\n---\nstateDiagram-v2\n  [*] --> Idle",
        'erDiagram\n  USER ||--o{ ORDER : places\n  ORDER }|..|{ LINE : "has"',
        "sequenceDiagram\n  A->>B: hi",
    ],
)
def test_valid_mermaid(diagram):
    assert code_findings(f"```mermaid\n{diagram}\n```") == []


@pytest.mark.parametrize(
    "diagram",
    [
        "flowchrt LR\n  A --> B",
        'flowchart LR\n  A["unclosed] --> B',
        "flowchart LR\n  A[Start --> B",
        "graph TD\n  A(Start] --> B",
        "",
    ],
)
def test_invalid_mermaid_is_reported_on_the_fence_line(diagram):
    assert code_findings(f"```mermaid\n{diagram}\n```") == [("mermaid-syntax", 3)]


@pytest.mark.parametrize(
    ("language", "source", "line"),
    [
        ("python", "def f(:\n    pass", 4),
        ("py", "x = 1\ny = (\n", 0),
        ("json", '{\n  "a": 1,\n}', 6),
        ("toml", "[a]\nb = \n", 5),
        ("yaml", "a: 1\nb: [2\n", 0),
        ("yml", "a: b: c\n", 4),
    ],
)
def test_invalid_code_is_reported_on_the_failing_line(language, source, line):
    [(rule, reported)] = code_findings(f"```{language}\n{source}\n```")
    assert rule == "code-syntax"
    if line:
        assert reported == line
    else:
        assert reported >= 3


@pytest.mark.parametrize(
    ("language", "source"),
    [
        ("python", "from typing import Dict\nx: Dict[str, str] = {}"),
        ("json", '{"a": [1, 2]}'),
        ("toml", '[project]\nname = "x"'),
        ("yaml", "a: 1\n---\nb: 2"),
        ("typescript", "this is not checked"),
    ],
)
def test_valid_or_unchecked_code_passes(language, source):
    assert code_findings(f"```{language}\n{source}\n```") == []
