"""Small templates and lint shortcuts shared by the linter's tests."""

from __future__ import annotations

from speclint import LintResult, Profile, infer_profile, lint_text

MINI_TEMPLATE = """\
# Spec: <name>

**Owner:** <name>
**Status:** Draft | In Review | Approved
**Last updated:** YYYY-MM-DD

## 1) Context
<what exists today>

## 2) Design
### Diagram (Mermaid)
```mermaid
flowchart LR
  A --> B
```

### Component: <name>
**Priority:** [High | Low]

#### State machine (RNIA)
```mermaid
stateDiagram-v2
  [*] --> Idle
```

## 3) Decisions (required)
| Date | Decision | Rationale |
|---|---|---|
| YYYY-MM-DD | Approved/Deferred/Rejected | <why> |

## 4) Ownership & RACI
| Area | Responsible | Accountable |
|---|---|---|
| Engineering | <name> | <name> |

## 5) Notes (optional)
Anything else.

## 6) Gate
- [ ] Diagram is current
- [ ] Risks are listed
"""

MINI_FILLED = """\
# Spec: Ledger export

**Owner:** Jürgen Müller
**Status:** Draft
**Last updated:** 2026-02-27

## 1) Context
The ledger is exported nightly to the finance warehouse.

## 2) Design
### Diagram (Mermaid)
```mermaid
flowchart LR
  Ledger --> Export[Export job]
```

### Component: Export job
**Priority:** High

#### State machine (RNIA)
N/A — the job keeps no state between runs.

## 3) Decisions (required)
| Date | Decision | Rationale |
|---|---|---|
| 2026-02-20 | Approved | Finance needs daily totals |

## 4) Ownership & RACI
| Area | Responsible | Accountable |
|---|---|---|
| Engineering | Aiko Tanaka | Jürgen Müller |

## 6) Gate
- [x] Diagram is current
- [ ] Risks are listed
"""


def mini_profile(**override: str) -> Profile:
    return infer_profile(MINI_TEMPLATE, name="mini", override_toml=override.get("toml"))


def lint(text: str, profile: Profile | None = None, **kwargs: str) -> LintResult:
    return lint_text(text, profile=profile if profile is not None else mini_profile(), **kwargs)


def rules_at(result: LintResult) -> list[tuple[str, int]]:
    return [(finding.rule, finding.line) for finding in result.findings if not finding.suppressed]


def rules(result: LintResult) -> set[str]:
    return {rule for rule, _ in rules_at(result)}


def replace_line(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.split("\n"), 1):
        if needle in line:
            return number
    raise AssertionError(needle)
