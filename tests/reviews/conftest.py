import pytest

RACI_SPEC = """# Ledger export

## Context

Finance exports the ledger for auditors.

## Ownership & RACI

| Area | Responsible | Accountable | Consulted | Informed |
|---|---|---|---|---|
| Engineering | Lukas Novak | Jonas Müller | kenji | Priya Raman |
| Security/Privacy | kenji@example.com | Sofia Rossi | Grace Hopper (Finance) | Diego Santos |

## Scope Decision Log

| Date | Request | Source | Decision | Rationale | Trade-off |
|---|---|---|---|---|---|
| 2026-09-14 | Parquet export | Priya | Approved | Auditors ingest it | One more writer |
"""


@pytest.fixture
def people(make_user):
    names = {
        "aisha": ("Aisha", "Okafor"),
        "jonas": ("Jonas", "Muller"),  # the table says "Müller": accents are folded when matching
        "sofia": ("Sofia", "Rossi"),
        "kenji": ("Kenji", "Watanabe"),
        "lukas": ("Lukas", "Novak"),
        "priya": ("Priya", "Raman"),
        "diego": ("Diego", "Santos"),
        "outsider": ("Olga", "Outside"),
    }
    return {
        username: make_user(username, first_name=first, last_name=last)
        for username, (first, last) in names.items()
    }


@pytest.fixture
def reviewed_spec(people, generic_profile):
    from specs import actions

    spec = actions.create_spec(
        title="Ledger export", slug="ledger-export", profile=generic_profile, author=people["aisha"]
    )
    actions.upload_version(spec=spec, data=RACI_SPEC.encode(), uploaded_by=people["aisha"])
    spec.refresh_from_db()
    return spec
