"""Policy packs: topics a spec must address, each shown addressed by any of its words.

The built-in ``backend`` pack is distilled from the ADBM manifesto shipped as
``profiles/backend-policy.md``; ``profiles/backend-policy.toml`` lists the topics, the words
that count as addressing them and the manifesto section each one comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ._toml import tomllib
from .catalog import profile_resource
from .document import Document, parse_document
from .model import Finding, ProfileError
from .mojibake import repair_mojibake
from .rules.registry import finding

__all__ = ["POLICY_PACKS", "Policy", "PolicyTopic", "builtin_policy", "check_policy"]

POLICY_PACKS = ("backend",)
_KEYCAP_DIGITS = re.compile("((?:[0-9]\ufe0f?\u20e3)+)")
_EMOJI_AND_KEYCAPS = re.compile("[0-9]\ufe0f?\u20e3|[\ufe0f\u200d]")


@dataclass(frozen=True)
class PolicyTopic:
    name: str
    section: str
    section_title: str
    words: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern[str]:
        alternatives = "|".join(re.escape(word) for word in self.words)
        return re.compile(rf"(?<![\w])(?:{alternatives})", re.IGNORECASE)


@dataclass(frozen=True)
class Policy:
    name: str
    title: str
    topics: tuple[PolicyTopic, ...]


def numbered_sections(manifesto: str) -> dict[str, str]:
    """Section number (from keycap emoji such as 1️⃣4️⃣) to heading title, mojibake repaired."""
    sections: dict[str, str] = {}
    for heading in parse_document(repair_mojibake(manifesto)).headings:
        match = _KEYCAP_DIGITS.match(heading.text)
        if match is None:
            continue
        number = "".join(char for char in match.group(1) if char.isdigit())
        title = _EMOJI_AND_KEYCAPS.sub("", heading.text).strip()
        sections.setdefault(number, title)
    return sections


@cache
def builtin_policy(name: str) -> Policy:
    if name not in POLICY_PACKS:
        raise ProfileError(
            f"Unknown policy '{name}' (built-in policies: {', '.join(POLICY_PACKS)})"
        )
    data = tomllib.loads(profile_resource(f"{name}-policy.toml"))
    sections = numbered_sections(profile_resource(f"{name}-policy.md"))
    topics: list[PolicyTopic] = []
    for topic in data["topics"]:
        number = str(topic["section"])
        if number not in sections:
            raise ProfileError(f"Policy topic '{topic['name']}' cites no section §{number}")
        topics.append(
            PolicyTopic(str(topic["name"]), number, sections[number], tuple(topic["words"]))
        )
    return Policy(name, str(data["title"]), tuple(topics))


def check_policy(doc: Document, policy: Policy) -> list[Finding]:
    return [
        finding(
            "policy-topic",
            1,
            f"Policy '{policy.name}' topic '{topic.name}' is not addressed "
            f"({policy.title} §{topic.section} {topic.section_title})",
        )
        for topic in policy.topics
        if topic.pattern.search(doc.text) is None
    ]
