"""Apply a profile's TOML override: what the template alone cannot say.

Section paths are written as template titles joined by ``>`` (``Component Design > Component:
* > State machine``); each part is normalised like a heading, ``*`` standing for a placeholder and
``FR-n`` for a numbered requirement. An unknown path is an error, so typos cannot pass silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ._toml import tomllib
from .model import (
    ChecklistSpec,
    Condition,
    FieldSpec,
    FrontMatterSpec,
    MetadataSpec,
    Profile,
    ProfileError,
    SectionSpec,
    TableSpec,
)
from .rules.registry import RULES
from .text import PATTERN_MARK, section_key, template_key

__all__ = ["apply_override", "path_keys"]

_SENTINEL = "\ue000"


def path_keys(path: str) -> tuple[str, ...]:
    keys: list[str] = []
    for part in path.split(">"):
        part = part.strip()
        if PATTERN_MARK in part:
            key = section_key(part.replace(PATTERN_MARK, f" {_SENTINEL} ")).replace(
                _SENTINEL, PATTERN_MARK
            )
        else:
            key = template_key(part)
        keys.append(key)
    return tuple(keys)


def apply_override(profile: Profile, override_toml: str) -> Profile:
    try:
        data = tomllib.loads(override_toml)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"The profile override is not valid TOML: {error}") from None
    profile = replace(profile, description=str(data.get("description", profile.description)))
    profile = _rules(profile, data.get("rules", {}))
    if "title" in data:
        profile = replace(profile, requires_title=bool(data["title"].get("required", True)))
    profile = _sections(profile, data.get("sections", {}))
    profile = _metadata(profile, data.get("metadata", {}))
    profile = _tables(profile, data.get("tables", {}))
    profile = _checklists(profile, data.get("checklists", {}))
    profile = _lint_options(profile, data.get("lint", {}))
    return _front_matter(profile, data.get("front_matter"))


def _lint_options(profile: Profile, options: dict[str, Any]) -> Profile:
    """``[lint]``: how strictly inference reads placeholders and N/A answers."""
    mode = options.get("placeholders", profile.placeholder_mode)
    if mode not in ("any", "template"):
        raise ProfileError("[lint] placeholders must be 'any' or 'template'")
    return replace(
        profile,
        placeholder_mode=mode,
        na_needs_reason=bool(options.get("na_needs_reason", profile.na_needs_reason)),
        na_waives_children=bool(options.get("na_waives_subsections", profile.na_waives_children)),
    )


def _rules(profile: Profile, rules: dict[str, Any]) -> Profile:
    enable = set(rules.get("enable", ()))
    disable = set(rules.get("disable", ()))
    unknown = (enable | disable) - set(RULES)
    if unknown:
        raise ProfileError(
            f"The profile override names unknown rules: {', '.join(sorted(unknown))}"
        )
    return replace(profile, rules=frozenset((profile.rules | enable) - disable))


def _update(
    specs: tuple[SectionSpec, ...],
    keys: tuple[str, ...],
    change: Callable[[SectionSpec], SectionSpec],
) -> tuple[SectionSpec, ...]:
    head, rest = keys[0], keys[1:]
    position = next((i for i, spec in enumerate(specs) if spec.key == head), None)
    if position is None:
        raise KeyError(head)
    spec = specs[position]
    updated = (
        change(spec) if not rest else replace(spec, children=_update(spec.children, rest, change))
    )
    return (*specs[:position], updated, *specs[position + 1 :])


def _edit(profile: Profile, path: str, change: Callable[[SectionSpec], SectionSpec]) -> Profile:
    try:
        return replace(profile, sections=_update(profile.sections, path_keys(path), change))
    except KeyError:
        raise ProfileError(f"The profile override names no template section '{path}'") from None


def _clear_fields(specs: tuple[SectionSpec, ...]) -> tuple[SectionSpec, ...]:
    return tuple(replace(spec, fields=(), children=_clear_fields(spec.children)) for spec in specs)


def _sections(profile: Profile, sections: dict[str, Any]) -> Profile:
    if sections.get("clear_fields"):
        profile = replace(profile, sections=_clear_fields(profile.sections))
    flags: tuple[tuple[str, str, bool], ...] = (
        ("optional", "required", False),
        ("required", "required", True),
        ("na_allowed", "allow_na", True),
        ("needs_mermaid", "needs_mermaid", True),
        ("no_mermaid", "needs_mermaid", False),
    )
    for setting, attribute, value in flags:
        for path in sections.get(setting, ()):
            profile = _edit(profile, path, _setter(attribute, value))
    for path, aliases in sections.get("aliases", {}).items():
        keys = tuple(section_key(str(alias)) for alias in aliases)
        profile = _edit(profile, path, _setter("aliases", keys))
    for conditional in sections.get("conditional", ()):
        condition = Condition(str(conditional["field"]), tuple(map(str, conditional["values"])))
        profile = _edit(profile, conditional["path"], _conditional(condition))
    for path, language in sections.get("needs_code", {}).items():
        profile = _edit(profile, path, _setter("needs_code", str(language)))
    for field in sections.get("fields", ()):
        profile = _edit(
            profile,
            field["path"],
            _add_field(FieldSpec(str(field["label"]), tuple(field["allowed"]))),
        )
    return profile


def _setter(
    attribute: str, value: bool | str | tuple[str, ...]
) -> Callable[[SectionSpec], SectionSpec]:
    def change(spec: SectionSpec) -> SectionSpec:
        return replace(spec, **{attribute: value})  # type: ignore[arg-type]

    return change


def _conditional(condition: Condition) -> Callable[[SectionSpec], SectionSpec]:
    def change(spec: SectionSpec) -> SectionSpec:
        reason = f"required when {condition.field} is {' or '.join(condition.values)}"
        return replace(spec, required=True, condition=condition, reason=reason)

    return change


def _add_field(added: FieldSpec) -> Callable[[SectionSpec], SectionSpec]:
    def change(spec: SectionSpec) -> SectionSpec:
        kept = tuple(field for field in spec.fields if field.label != added.label)
        return replace(spec, fields=(*kept, added))

    return change


def _metadata(profile: Profile, metadata: dict[str, Any]) -> Profile:
    specs = list(profile.metadata)
    if "required" in metadata:
        wanted = [str(key) for key in metadata["required"]]
        specs = [replace(spec, required=spec.key in wanted) for spec in specs]
        specs += [MetadataSpec(key, True) for key in wanted if all(s.key != key for s in specs)]
    for key, allowed in metadata.get("allowed", {}).items():
        specs = [replace(s, allowed=tuple(allowed)) if s.key == key else s for s in specs]
    for key, form in metadata.get("forms", {}).items():
        if form not in ("date", "semver"):
            raise ProfileError(f"Metadata form for '{key}' must be 'date' or 'semver'")
        specs = [replace(s, form=form) if s.key == key else s for s in specs]
    return replace(profile, metadata=tuple(specs))


def _tables(profile: Profile, tables: dict[str, Any]) -> Profile:
    updated: list[TableSpec] = list(profile.tables)
    for path, settings in tables.items():
        keys = path_keys(path)
        position = next((i for i, table in enumerate(updated) if table.section == keys), None)
        if position is None:
            raise ProfileError(f"The profile override names no template table in '{path}'")
        table = updated[position]
        if "columns" in settings:
            table = replace(table, columns=tuple(settings["columns"]))
        if "enums" in settings:
            enums = tuple((column, tuple(values)) for column, values in settings["enums"].items())
            table = replace(table, enums=enums)
        if "date_columns" in settings:
            table = replace(table, date_columns=tuple(settings["date_columns"]))
        updated[position] = table
    return replace(profile, tables=tuple(updated))


def _checklists(profile: Profile, checklists: dict[str, Any]) -> Profile:
    drop = {section_key(title) for title in checklists.get("drop", ())}
    kept: list[ChecklistSpec] = [c for c in profile.checklists if section_key(c.title) not in drop]
    if len(kept) != len(profile.checklists) - len(drop):
        raise ProfileError("The profile override drops a checklist the template does not have")
    return replace(profile, checklists=tuple(kept))


def _front_matter(profile: Profile, front_matter: dict[str, Any] | None) -> Profile:
    if front_matter is None:
        return profile
    spec = FrontMatterSpec(
        required=tuple(front_matter.get("required", ())),
        dates=tuple(front_matter.get("dates", ())),
        order=tuple((str(a), str(b)) for a, b in front_matter.get("order", ())),
    )
    return replace(profile, front_matter=spec)
