from django.db import migrations

# TRUNCATE fires no row triggers, so the append-only trigger alone let `TRUNCATE core_auditevent`
# empty the trail. A statement trigger refuses it for every role but a superuser (who can drop
# triggers anyway, and whom the test runner needs to reset its database between tests).
# The application role has no TRUNCATE privilege at all (core.dbroles); this stops the owner.
REFUSE_TRUNCATE = """
CREATE FUNCTION core_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_audit_no_truncate BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION core_refuse_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS core_audit_no_truncate ON core_auditevent;
DROP FUNCTION IF EXISTS core_refuse_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0005_rate_limit_windows")]

    operations = [migrations.RunSQL(REFUSE_TRUNCATE, DROP)]
