"""The application's own database role cannot rewrite the audit trail or the stored versions."""

import psycopg
import pytest
from django.db import connection
from psycopg import errors

from core.dbroles import grant_app_role
from core.models import AuditEvent

APP_ROLE = "spec_review_app_test"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def app_connection(reviewed_spec):
    """A connection to the test database as an application role granted by core.dbroles."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {APP_ROLE} LOGIN")
    grant_app_role(APP_ROLE)
    settings = connection.settings_dict
    conn = psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=APP_ROLE,
        autocommit=True,
    )
    yield conn
    conn.close()


def refused(conn, statement: str) -> bool:
    try:
        conn.execute(statement)
    except errors.InsufficientPrivilege:
        return True
    return False


def test_the_app_role_adds_to_the_audit_trail_and_never_rewrites_it(app_connection):
    before = AuditEvent.objects.count()
    assert before > 0
    app_connection.execute(
        "INSERT INTO core_auditevent (at, verb, data, target, request_id) "
        "VALUES (now(), 'test.appended', '{}', '', '')"
    )
    assert refused(app_connection, "UPDATE core_auditevent SET verb = 'forged'")
    assert refused(app_connection, "DELETE FROM core_auditevent")
    assert refused(app_connection, "TRUNCATE core_auditevent")
    assert AuditEvent.objects.count() == before + 1


def test_the_app_role_cannot_delete_or_truncate_stored_versions(app_connection):
    assert refused(app_connection, "DELETE FROM specs_specversion")
    assert refused(app_connection, "TRUNCATE specs_specversion CASCADE")
    (count,) = app_connection.execute("SELECT count(*) FROM specs_specversion").fetchone()
    assert count == 1


def test_the_app_role_owns_nothing_and_is_no_superuser(app_connection):
    (superuser, create_role, create_db) = app_connection.execute(
        "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    assert not (superuser or create_role or create_db)
    (owned,) = app_connection.execute(
        "SELECT count(*) FROM pg_tables WHERE tableowner = current_user"
    ).fetchone()
    assert owned == 0


OWN_EVERY_TABLE = """
DO $$
DECLARE t record;
BEGIN
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
        EXECUTE format('ALTER TABLE %I OWNER TO spec_review_owner_test', t.tablename);
    END LOOP;
END $$;
"""


def test_even_the_owner_role_cannot_truncate_the_trail_or_the_versions(reviewed_spec):
    """TRUNCATE fires no row trigger: a statement trigger refuses it to every non-superuser."""
    for table in ("core_auditevent", "specs_specversion"):
        with (
            pytest.raises(Exception, match="append-only: TRUNCATE refused"),
            connection.cursor() as cursor,
        ):
            cursor.execute("BEGIN")
            try:
                cursor.execute("CREATE ROLE spec_review_owner_test NOLOGIN")
                cursor.execute(OWN_EVERY_TABLE)
                cursor.execute("SET ROLE spec_review_owner_test")
                cursor.execute(f"TRUNCATE {table} CASCADE")
            finally:
                cursor.execute("ROLLBACK")
    assert AuditEvent.objects.exists()
