from django.db import migrations

# The application may add to the audit trail and never rewrite it: UPDATE and DELETE are
# refused by the database itself, whatever code (or admin, or shell) tries.
APPEND_ONLY = """
CREATE FUNCTION core_audit_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_audit_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_audit_is_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS core_audit_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS core_audit_is_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_event")]

    operations = [migrations.RunSQL(APPEND_ONLY, DROP)]
