# ruff: noqa: RUF001 - the seeds' mojibake is the point of these assertions
"""The built-in profiles are exactly what docs/lint-rules.md lists (written out here by hand)."""

import pytest

from speclint import Profile, ProfileError, builtin_profile, builtin_profile_names, infer_profile
from speclint.catalog import profile_resource
from speclint.model import SectionSpec
from speclint.rules.registry import GENERIC_RULES


def required_tree(specs: tuple[SectionSpec, ...]) -> dict[str, dict]:
    return {spec.key: required_tree(spec.children) for spec in specs if spec.required}


def flags(profile: Profile, attribute: str) -> set[str]:
    found: set[str] = set()
    pending: list[tuple[tuple[str, ...], SectionSpec]] = [((), spec) for spec in profile.sections]
    while pending:
        path, spec = pending.pop()
        if getattr(spec, attribute):
            found.add(" > ".join((*path, spec.key)))
        pending.extend(((*path, spec.key), child) for child in spec.children)
    return found


def tables(profile: Profile) -> dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]]]]:
    return {" > ".join(t.section): (t.columns, dict(t.enums)) for t in profile.tables}


def test_names():
    assert builtin_profile_names() == (
        "tech-spec",
        "ai-spec",
        "python-contract",
        "feature-spec",
        "generic",
    )


def test_tech_spec():
    profile = builtin_profile("tech-spec")
    assert "evidence-line" in profile.rules
    assert [(m.key, m.required, m.allowed, m.form) for m in profile.metadata if m.required] == [
        ("Owner", True, (), None),
        ("Status", True, ("Draft", "In Review", "Approved"), None),
        ("Last updated", True, (), "date"),
        ("Reviewers", True, (), None),
    ]
    tree = required_tree(profile.sections)
    numbered = [
        "summary",
        "overview context",
        "goals and non goals",
        "scope",
        "feature creep guardrails",
        "scope decision log",
        "acceptance criteria",
        "decision log adrs",
        "data lifecycle and retention",
        "system architecture",
        "component design",
        "api design",
        "data models database schema",
        "infrastructure requirements",
        "security considerations",
        "error handling strategy",
        "performance requirements slas or slos",
        "slos and error budget",
        "observability",
        "testing strategy",
        "deployment strategy",
        "launch and rollback guardrails",
        "post launch monitoring plan",
        "support ops impact",
        "compliance and regulatory review triggers",
        "ownership and raci",
        "security and privacy classification",
        "dependency slas and vendor risk",
        "cost model and budget guardrails",
        "localization and internationalization",
        "backward compatibility and deprecation",
        "experimentation and feature flags",
        "kill criteria",
        "evidence gaps",
        "evidence map",
        "open questions future considerations",
        "tech spec quality gate",
    ]
    assert list(tree) == numbered
    assert tree["overview context"] == {"context": {}, "constraints": {}}
    assert tree["goals and non goals"] == {"goals": {}, "non goals": {}, "success criteria": {}}
    assert tree["scope"] == {"in scope": {}, "out of scope": {}}
    assert tree["system architecture"] == {
        "architecture diagram": {},
        "architectural decisions": {},
    }
    assert tree["component design"] == {
        "component inventory": {},
        "component *": {"state machine": {}, "failure modes and recovery": {}},
    }
    assert tree["api design"] == {"api overview": {}, "endpoint *": {}}
    assert tree["data models database schema"] == {"tables collections": {}}
    assert tree["open questions future considerations"] == {
        "open questions": {},
        "future considerations": {},
    }
    assert flags(profile, "allow_na") == {
        "goals and non goals > non goals",
        "slos and error budget",
        "component design > component * > state machine",
    }
    assert flags(profile, "needs_mermaid") == {
        "system architecture > architecture diagram",
        "component design > component * > state machine",
    }
    assert flags(profile, "fields") == set()
    assert tables(profile) == {
        "scope decision log": (
            ("Date", "Request", "Source", "Decision", "Rationale", "Trade-off"),
            {"Decision": ("Approved", "Deferred", "Rejected")},
        ),
        "ownership and raci": (("Area", "Responsible", "Accountable", "Consulted", "Informed"), {}),
        "evidence map": (
            ("Section / Claim", "Evidence", "Confidence", "Notes"),
            {"Confidence": ("High", "Medium", "Low")},
        ),
        "performance requirements slas or slos": (("SLI", "Target", "Measurement"), {}),
        "component design > component inventory": (
            ("Component", "Type", "Status"),
            {"Status": ("planned", "current", "future")},
        ),
    }
    assert len(profile.checklist_items) == 12


def test_ai_spec():
    profile = builtin_profile("ai-spec")
    assert profile.requires_title
    assert required_tree(profile.sections) == {
        "meta context and constraints": {},
        "data contract": {"input schema": {}, "output schema": {}},
        "logic flow and failure modes": {"step by step execution chain": {}},
        "adversarial guardrails": {},
        "definition of done": {},
    }
    assert flags(profile, "needs_code") == {
        "data contract > input schema",
        "data contract > output schema",
    }
    assert tables(profile) == {
        "meta context and constraints": (("Constraint Type", "Description / Rules"), {}),
        "adversarial guardrails": (("Category", "Guardrail"), {}),
    }
    assert len(profile.checklist_items) == 7
    assert [m for m in profile.metadata if m.required] == []


def test_python_contract():
    profile = builtin_profile("python-contract")
    assert profile.front_matter is not None
    assert profile.front_matter.required == ("version", "created", "updated")
    assert profile.front_matter.dates == ("created", "updated")
    assert profile.front_matter.order == (("created", "updated"),)
    assert required_tree(profile.sections) == {
        "architecture": {
            "system overview": {},
            "component diagram": {},
            "technology stack": {},
            "project structure": {},
        },
        "interfaces": {"*": {}},
        "data model": {"entity *": {}},
        "non functional requirements": {
            k: {}
            for k in (
                "performance",
                "scalability",
                "security",
                "reliability",
                "testing",
                "deployment",
            )
        },
        "dependencies": {},
        "api specification": {},
        "configuration": {},
        "error handling": {},
        "observability": {},
    }
    assert flags(profile, "needs_code") == {"interfaces > *"}


def test_feature_spec():
    profile = builtin_profile("feature-spec")
    assert [(m.key, m.allowed, m.form) for m in profile.metadata if m.required] == [
        ("Version", (), "semver"),
        ("Last Updated", (), "date"),
        ("Status", ("Draft", "Review", "Approved", "Implemented"), None),
    ]
    assert required_tree(profile.sections) == {
        "constitutional alignment": {},
        "overview": {"purpose": {}, "scope": {}},
        "functional requirements": {"fr n *": {}},
        "technical requirements": {"tr n *": {}},
        "non functional requirements": {"nfr n *": {}},
        "data models": {},
        "error handling": {},
        "testing requirements": {},
        "deployment": {},
        "rollback plan": {},
        "exceptions and deviations": {},
    }
    requirement = next(s for s in profile.sections if s.key == "functional requirements").children[
        0
    ]
    assert requirement.needs_checkbox
    assert [(f.label, f.allowed) for f in requirement.fields] == [
        ("Priority", ("Critical", "High", "Medium", "Low"))
    ]
    assert profile.checklist_items == ("Tech Lead", "Product", "QA")


def test_generic_runs_structural_rules_only():
    profile = builtin_profile("generic")
    assert profile.sections == ()
    assert profile.rules == GENERIC_RULES


def test_templates_ship_byte_exact_and_keep_their_mojibake():
    assert "1ï¸âƒ£" in profile_resource("ai-spec.md")
    assert "Ô∏è‚É£" in profile_resource("backend-policy.md")


def test_summary_is_plain_data_for_an_admin_page():
    import json

    summary = builtin_profile("tech-spec").summary()
    assert json.loads(json.dumps(summary)) == summary
    assert summary["tables"][0]["enums"] == {"Decision": ["Approved", "Deferred", "Rejected"]}
    assert summary["checklists"][0]["items"][0] == "Architecture is clear and diagrammed"


def test_override_rejects_unknown_paths_rules_and_bad_toml():
    template = "# T\n\n## Context\n<what>\n"
    with pytest.raises(ProfileError, match="Nowhere"):
        infer_profile(template, name="x", override_toml='[sections]\noptional = ["Nowhere"]\n')
    with pytest.raises(ProfileError, match="unknown rules"):
        infer_profile(template, name="x", override_toml='[rules]\nenable = ["nope"]\n')
    with pytest.raises(ProfileError, match="TOML"):
        infer_profile(template, name="x", override_toml="[sections\n")


def test_inference_markers_decide_requiredness():
    template = (
        "# T\n\n## A\n### A1\n### A2 (optional)\n## B (recommended)\n### B1\n"
        "## C (Required or N/A with reason)\n## D (if applicable)\n## E (RNIA)\n"
    )
    profile = infer_profile(template, name="x")
    assert required_tree(profile.sections) == {"a": {"a1": {}}, "c": {}, "e": {}}
    assert flags(profile, "allow_na") == {"c", "e"}


@pytest.mark.parametrize(
    ("name", "headings"),
    [
        (
            "tech-spec",
            [
                "0) Summary",
                "Overview",
                "Goals and Non-Goals",
                "Scope",
                "Feature Creep Guardrails",
                "Scope Decision Log",
                "Acceptance Criteria",
                "Decision Log / ADRs",
                "Data Lifecycle & Retention",
                "System Architecture",
                "Component Design",
                "API Design",
                "Data Models / Database Schema",
                "Infrastructure Requirements",
                "Security Considerations",
                "Error Handling Strategy",
                "Performance Requirements / SLAs or SLOs",
                "SLOs and Error Budget",
                "Observability",
                "Testing Strategy",
            ],
        ),
        (
            "python-contract",
            [
                "Architecture",
                "Interfaces",
                "Data Model",
                "Non-Functional Requirements",
                "Dependencies",
            ],
        ),
        ("generic", ["Architecture", "Interfaces", "Data Model"]),
    ],
)
def test_profile_inference_needs_half_the_required_top_level_sections(name, headings):
    from speclint import lint_text

    text = "# Spec\n\n" + "".join(f"## {heading}\n\nText.\n\n" for heading in headings)
    assert lint_text(text).profile == name
