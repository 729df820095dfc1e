"""Between Profile rows and the linter's profiles: built-ins come from the linter package."""

from __future__ import annotations

from functools import lru_cache

from specs.models import Profile

BUILTIN_TITLES = {
    "tech-spec": "Technical specification",
    "ai-spec": "AI-optimised technical specification",
    "python-contract": "Python engineering contract",
    "feature-spec": "Feature specification",
    "generic": "Generic Markdown document",
}


def linter_profile(profile: Profile):
    import speclint

    if profile.builtin:
        return speclint.builtin_profile(profile.name)
    return _inferred(profile.name, profile.template_source, profile.override_toml or None)


@lru_cache(maxsize=64)
def _inferred(name: str, template: str, override_toml: str | None):
    # Keyed by the template text itself, so an edited profile is never served stale.
    import speclint

    return speclint.infer_profile(template, name=name, override_toml=override_toml)


def ensure_builtin_profiles() -> None:
    for name, title in BUILTIN_TITLES.items():
        Profile.objects.update_or_create(name=name, defaults={"title": title, "builtin": True})


def detect_profile(text: str) -> Profile:
    """The built-in profile whose required sections best match the text (the linter decides)."""
    from speclint import parse_document, select_profile

    name = select_profile(parse_document(text)).name
    return Profile.objects.filter(name=name).first() or Profile.objects.get(name="generic")


def checklist_items(profile: Profile) -> tuple[str, ...]:
    """The profile's quality-gate items, in template order (empty for profiles without one)."""
    return tuple(linter_profile(profile).checklist_items)
