"""Deterministic, realistic tech specs of any size, and heavily edited copies of them.

Shaped like the tech-spec seed: numbered `## N) Title` sections holding prose, bullet and
task lists, decision-log and RACI tables, code fences (Python, YAML, SQL), mermaid,
footnotes and links.
"""

from __future__ import annotations

import random

WORDS = [
    *("service", "queue", "retry", "budget", "owner", "latency", "tenant", "schema"),
    *("migration", "rollout", "audit", "cache", "replica", "index", "payload", "contract"),
    *("idempotent", "backoff", "invoice", "ledger", "webhook", "quota", "region", "failover"),
    *("consumer", "producer", "partition", "snapshot", "deadline", "threshold", "alert"),
]
TITLES = (
    "Summary", "Context", "Goals and Non-Goals", "Scope", "Scope Decision Log",
    "Acceptance Criteria", "System Architecture", "Component Design", "API Design",
    "Data Model", "Security Considerations", "Error Handling", "Performance Requirements",
    "Observability", "Testing Strategy", "Deployment Strategy", "Migration Plan",
    "Ownership & RACI", "Open Questions", "Tech Spec Quality Gate",
)  # fmt: skip


def _sentence(rnd: random.Random) -> str:
    words = [rnd.choice(WORDS) for _ in range(rnd.randint(6, 16))]
    return " ".join(words).capitalize() + "."


def _paragraph(rnd: random.Random) -> str:
    text = " ".join(_sentence(rnd) for _ in range(rnd.randint(2, 5)))
    if rnd.random() < 0.3:
        link = f"https://runbooks.example/{rnd.choice(WORDS)}"
        text += f" See [the runbook]({link}) and `{rnd.choice(WORDS)}_id`."
    if rnd.random() < 0.1:
        text += f" This is measured weekly[^n{rnd.randrange(10**6)}]."
    return text


def _table(rnd: random.Random) -> str:
    rows = "".join(
        f"| 2024-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)} | {rnd.choice(WORDS)} support | "
        f"{rnd.choice(['PM', 'Eng', 'Security'])} | "
        f"{rnd.choice(['Approved', 'Deferred', 'Rejected'])} "
        f"| {_sentence(rnd)} | {rnd.choice(WORDS)} |\n"
        for _ in range(rnd.randint(3, 8))
    )
    return (
        "| Date | Request | Source | Decision | Rationale | Trade-off |\n"
        "|---|---|---|---|---|---|\n" + rows
    )


def _code(rnd: random.Random) -> str:
    name = rnd.choice(WORDS)
    return rnd.choice(
        [
            f"```python\ndef handle_{name}(event: dict) -> None:\n    if not event.get('id'):\n"
            f"        raise ValueError('missing id')  # {_sentence(rnd)}\n"
            "    queue.put(event)\n```",
            f"```yaml\n{name}:\n  retries: {rnd.randint(1, 9)}\n"
            f"  timeout_ms: {rnd.randint(100, 900)}\n```",
            f"```sql\nCREATE TABLE {name} (\n  id uuid PRIMARY KEY,\n"
            "  created_at timestamptz NOT NULL\n);\n```",
            f"```mermaid\nflowchart LR\n  Client --> API[{name}]\n  API --> DB[(Database)]\n```",
        ]
    )


def _block(rnd: random.Random) -> str:
    kind = rnd.random()
    if kind < 0.45:
        return _paragraph(rnd)
    if kind < 0.65:
        return "\n".join(
            f"- **{rnd.choice(WORDS)}:** {_sentence(rnd)}" for _ in range(rnd.randint(2, 6))
        )
    if kind < 0.72:
        return "\n".join(
            f"- [{rnd.choice(' x')}] {_sentence(rnd)}" for _ in range(rnd.randint(2, 5))
        )
    if kind < 0.85:
        return _table(rnd)
    if kind < 0.95:
        return _code(rnd)
    return f"> **Note:** {_sentence(rnd)}"


def realistic_spec(size: int, seed: int = 0) -> str:
    """A spec of about `size` characters (never fewer)."""
    rnd = random.Random(seed)
    parts = [
        '---\ntitle: Generated specification\nversion: "1.0"\nowners: [alice, bob]\n---\n',
        "# Technical Specification: Generated\n",
    ]
    number, length = 0, sum(map(len, parts))
    while length < size:
        number += 1
        section = [f"## {number}) {TITLES[number % len(TITLES)]} {number}"]
        for sub in range(rnd.randint(0, 2)):
            section.append(f"### {rnd.choice(WORDS).capitalize()} {sub}")
            section.extend(_block(rnd) for _ in range(rnd.randint(1, 3)))
        section.extend(_block(rnd) for _ in range(rnd.randint(1, 4)))
        text = "\n\n".join(section) + "\n\n---\n"
        parts.append(text)
        length += len(text)
    return "\n".join(parts)


def spec_with_lines(lines: int, seed: int = 0) -> str:
    size = lines * 60
    while len(text := realistic_spec(size, seed).split("\n")) < lines:
        size *= 2
    return "\n".join(text[:lines]) + "\n"


def heavily_edited(text: str, seed: int = 1, rate: float = 0.3) -> str:
    """Roughly `rate` of the lines reworded, deleted or followed by new ones; one block moved."""
    rnd = random.Random(seed)
    out: list[str] = []
    for line in text.split("\n"):
        roll = rnd.random()
        if roll < rate * 0.4 and line.strip() and not line.startswith("#"):
            words = line.split(" ")
            words[rnd.randrange(len(words))] = rnd.choice(WORDS)
            out.append(" ".join(words))
        elif roll < rate * 0.6:
            continue
        elif roll < rate:
            out.extend([line, _sentence(rnd) if rnd.random() < 0.7 else "| new | row | added |"])
        else:
            out.append(line)
    start = rnd.randrange(len(out) // 2)
    block = out[start : start + 40]
    del out[start : start + 40]
    out[len(out) * 3 // 4 : len(out) * 3 // 4] = block
    return "\n".join(out)
