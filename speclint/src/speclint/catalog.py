"""Built-in profiles (templates shipped as package data) and choosing one for a document."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from importlib import resources

from .document import Document
from .inference import infer_from_template
from .model import Profile, ProfileError
from .overrides import apply_override
from .rules.registry import GENERIC_RULES
from .structure import match_structure

__all__ = [
    "BUILTIN_PROFILES",
    "builtin_profile",
    "builtin_profile_names",
    "infer_profile",
    "profile_resource",
    "select_profile",
]

# Tried in this order when choosing a profile, so ties go to the earlier one.
BUILTIN_PROFILES = ("tech-spec", "ai-spec", "python-contract", "feature-spec")
GENERIC = Profile(
    name="generic",
    description="Structural rules only: no template, so no required sections.",
    rules=GENERIC_RULES,
)
_MATCH_THRESHOLD = 0.5


def profile_resource(filename: str) -> str:
    """Text of a file shipped in the package's ``profiles/`` (works from an installed wheel)."""
    profiles = resources.files("speclint").joinpath("profiles")  # one name per call on 3.10
    return profiles.joinpath(filename).read_text(encoding="utf-8")


def builtin_profile_names() -> tuple[str, ...]:
    return (*BUILTIN_PROFILES, "generic")


def infer_profile(template_text: str, *, name: str, override_toml: str | None = None) -> Profile:
    """A profile from any template, optionally adjusted by a TOML override."""
    profile = infer_from_template(template_text, name=name)
    return apply_override(profile, override_toml) if override_toml else profile


@cache
def builtin_profile(name: str) -> Profile:
    if name == "generic":
        return GENERIC
    if name not in BUILTIN_PROFILES:
        known = ", ".join(builtin_profile_names())
        raise ProfileError(f"Unknown profile '{name}' (built-in profiles: {known})")
    return infer_profile(
        profile_resource(f"{name}.md"),
        name=name,
        override_toml=profile_resource(f"{name}.toml"),
    )


def select_profile(doc: Document) -> Profile:
    """The built-in whose required top-level sections the document best covers (>= 50%)."""
    best: Profile = GENERIC
    best_score = (0.0, 0)
    for name in BUILTIN_PROFILES:
        profile = builtin_profile(name)
        required = profile.required_top_level
        if not required:
            continue
        top_only = tuple(replace(spec, children=()) for spec in required)
        structure = match_structure(doc, Profile(name=name, sections=top_only))
        present = len(required) - len(structure.missing)
        score = (present / len(required), present)
        if score[0] >= _MATCH_THRESHOLD and score > best_score:
            best, best_score = profile, score
    return best
