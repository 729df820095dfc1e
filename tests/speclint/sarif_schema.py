"""The SARIF 2.1.0 schema (OASIS, errata 01: sarif-2.1/schema/sarif-schema-2.1.0.json of
github.com/oasis-tcs/sarif-spec), vendored in data/ so that no test fetches it."""

import json
from pathlib import Path

import jsonschema_rs

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
VALIDATOR = jsonschema_rs.validator_for(SCHEMA, validate_formats=True)


def schema_errors(document: dict) -> list[str]:
    return [f"{error.instance_path}: {error.message}" for error in VALIDATOR.iter_errors(document)]
