from django.db import migrations

# A version is what reviewers signed: its source columns never change and it is never deleted,
# whatever code runs. Analysis columns (render/lint results) stay writable.
IMMUTABLE_VERSIONS = """
CREATE FUNCTION specs_version_is_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'spec versions are immutable: DELETE refused' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.spec_id IS DISTINCT FROM OLD.spec_id
       OR NEW.number IS DISTINCT FROM OLD.number
       OR NEW.source IS DISTINCT FROM OLD.source
       OR NEW.original_bytes IS DISTINCT FROM OLD.original_bytes
       OR NEW.sha256 IS DISTINCT FROM OLD.sha256
       OR NEW.size_bytes IS DISTINCT FROM OLD.size_bytes
       OR NEW.uploaded_by_id IS DISTINCT FROM OLD.uploaded_by_id
       OR NEW.uploaded_at IS DISTINCT FROM OLD.uploaded_at
       OR NEW.note IS DISTINCT FROM OLD.note THEN
        RAISE EXCEPTION 'spec versions are immutable: UPDATE of uploaded content refused' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER specs_version_immutable
    BEFORE UPDATE OR DELETE ON specs_specversion
    FOR EACH ROW EXECUTE FUNCTION specs_version_is_immutable();
"""

DROP = """
DROP TRIGGER IF EXISTS specs_version_immutable ON specs_specversion;
DROP FUNCTION IF EXISTS specs_version_is_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("specs", "0001_initial")]

    operations = [migrations.RunSQL(IMMUTABLE_VERSIONS, DROP)]
