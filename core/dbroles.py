"""Two database roles: the owner that migrates, and the application role that owns nothing.

The web app, the worker and beat connect as the application role (``DATABASE_URL``); schema
changes run as the owner. After every ``migrate`` (run as the owner) the application role gets
exactly what it needs: read and write on ordinary tables, but only SELECT and INSERT on the
audit trail and no DELETE on stored versions. Without TRUNCATE, DELETE or ownership, the
application cannot rewrite the records a review depends on, whatever code runs in it.
"""

from __future__ import annotations

from django.db import connections
from psycopg import sql

# Tables whose rows the application may add but never remove or rewrite (beyond what their
# own triggers allow: a version's analysis columns are filled in once).
APPEND_ONLY = {
    "core_auditevent": ("SELECT", "INSERT"),
    "specs_specversion": ("SELECT", "INSERT", "UPDATE"),
    "specs_imageblob": ("SELECT", "INSERT"),
    "specs_versionattachment": ("SELECT", "INSERT"),
}


def grant_app_role(role: str, *, using: str = "default") -> None:
    """Give `role` what the application needs on every table of the current schema; run as owner."""
    role_id = sql.Identifier(role)
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role_id),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
            role_id
        ),
        sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(
            role_id
        ),
    ]
    for table, allowed in APPEND_ONLY.items():
        statements.append(
            sql.SQL("REVOKE ALL ON {} FROM {}").format(sql.Identifier(table), role_id)
        )
        statements.append(
            sql.SQL("GRANT {} ON {} TO {}").format(
                sql.SQL(", ").join(sql.SQL(p) for p in allowed), sql.Identifier(table), role_id
            )
        )
    with connections[using].cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def role_exists(role: str, *, using: str = "default") -> bool:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        return cursor.fetchone() is not None


def grant_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate: keep the application role's grants in step with the schema."""
    from django.conf import settings

    role = settings.DATABASE_APP_ROLE
    if role and role_exists(role, using=using):
        grant_app_role(role, using=using)
