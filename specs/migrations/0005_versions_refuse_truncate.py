from django.db import migrations

# Stored versions survive TRUNCATE as the audit trail does (core_refuse_truncate, core 0006).
REFUSE_TRUNCATE = """
CREATE TRIGGER specs_version_no_truncate BEFORE TRUNCATE ON specs_specversion
    FOR EACH STATEMENT EXECUTE FUNCTION core_refuse_truncate();
"""

DROP = "DROP TRIGGER IF EXISTS specs_version_no_truncate ON specs_specversion;"


class Migration(migrations.Migration):
    dependencies = [("specs", "0004_dashboard_indexes"), ("core", "0006_refuse_truncate")]

    operations = [migrations.RunSQL(REFUSE_TRUNCATE, DROP)]
