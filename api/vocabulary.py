"""The audit verbs the API writes (reviews has AuditVerb, specs SpecVerb)."""

from enum import StrEnum


class ApiVerb(StrEnum):
    TOKEN_CREATED = "api_token.created"  # noqa: S105  # verbs, not secrets
    TOKEN_REVOKED = "api_token.revoked"  # noqa: S105
    REQUEST = "api.request"
