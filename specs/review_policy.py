"""How a profile scopes review across versions: which sections each RACI area and gate item
covers, and whether any change stales every sign-off ("strict") or only those whose sections
changed ("scoped", the default). Read from the ``[review]`` table of the profile's TOML:

    [review]
    staleness = "scoped"
    [review.areas]
    "Security/Privacy" = ["Security Considerations", "Security & Privacy Classification"]
    [review.gates]
    "Security threats are identified and mitigations listed" = ["Security Considerations"]

An area or item the table does not name covers the whole spec.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

from speclint.catalog import BUILTIN_PROFILES, profile_resource
from specs.diffing.fingerprints import normalised_title

SCOPED = "scoped"  # the names reviews.rules.staleness acts on
STRICT = "strict"


@dataclass(frozen=True)
class ReviewPolicy:
    staleness: str = SCOPED
    areas: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    gates: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    def area_sections(self, area: str) -> tuple[str, ...] | None:
        """Section keys the area covers; None means the whole spec."""
        return self.areas.get(area)

    def gate_sections(self, item: str) -> tuple[str, ...] | None:
        return self.gates.get(item)


def review_policy(profile) -> ReviewPolicy:
    toml = (
        profile_resource(f"{profile.name}.toml")
        if profile.builtin and profile.name in BUILTIN_PROFILES
        else profile.override_toml or ""
    )
    return parse_review_policy(toml)


@lru_cache(maxsize=64)
def parse_review_policy(toml: str) -> ReviewPolicy:
    review = tomllib.loads(toml).get("review", {}) if toml else {}
    staleness = str(review.get("staleness", SCOPED))
    if staleness not in (SCOPED, STRICT):
        raise ValueError(f"[review] staleness must be 'scoped' or 'strict', not {staleness!r}")
    return ReviewPolicy(
        staleness=staleness,
        areas=_sections_by_name(review.get("areas", {})),
        gates=_sections_by_name(review.get("gates", {})),
    )


def _sections_by_name(table: dict) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType(
        {name: tuple(normalised_title(title) for title in titles) for name, titles in table.items()}
    )
