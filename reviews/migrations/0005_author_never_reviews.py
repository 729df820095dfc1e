from django.db import migrations

# The author of a spec never holds an R, A or C slot on it, never signs off, never ticks a gate
# and never overrides its lint: the actions refuse it with a reason, and the database refuses
# it again for every other route (admin, shell, a future bug).
AUTHOR_NEVER_REVIEWS = """
CREATE FUNCTION reviews_refuse_author(spec bigint, person bigint, what text) RETURNS void AS $$
BEGIN
    IF person IS NOT NULL AND person = (SELECT author_id FROM specs_spec WHERE id = spec) THEN
        RAISE EXCEPTION 'the author of a spec cannot %', what
            USING ERRCODE = 'check_violation';
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION reviews_raci_not_author() RETURNS trigger AS $$
BEGIN
    IF NEW.role IN ('R', 'A', 'C') THEN
        PERFORM reviews_refuse_author(NEW.spec_id, NEW.user_id, 'hold an R, A or C slot on it');
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION reviews_signoff_not_author() RETURNS trigger AS $$
BEGIN
    PERFORM reviews_refuse_author(
        (SELECT spec_id FROM specs_specversion WHERE id = NEW.version_id), NEW.user_id,
        'sign off on it');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION reviews_gatecheck_not_author() RETURNS trigger AS $$
BEGIN
    PERFORM reviews_refuse_author(
        (SELECT spec_id FROM specs_specversion WHERE id = NEW.version_id), NEW.by_id,
        'tick its quality gate');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION reviews_override_not_author() RETURNS trigger AS $$
BEGIN
    PERFORM reviews_refuse_author(
        (SELECT spec_id FROM specs_specversion WHERE id = NEW.version_id), NEW.recorded_by_id,
        'override its lint');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reviews_raci_not_author BEFORE INSERT OR UPDATE ON reviews_raciassignment
    FOR EACH ROW EXECUTE FUNCTION reviews_raci_not_author();
CREATE TRIGGER reviews_signoff_not_author BEFORE INSERT OR UPDATE ON reviews_signoff
    FOR EACH ROW EXECUTE FUNCTION reviews_signoff_not_author();
CREATE TRIGGER reviews_gatecheck_not_author BEFORE INSERT OR UPDATE ON reviews_gatecheck
    FOR EACH ROW EXECUTE FUNCTION reviews_gatecheck_not_author();
CREATE TRIGGER reviews_override_not_author BEFORE INSERT OR UPDATE ON reviews_lintoverride
    FOR EACH ROW EXECUTE FUNCTION reviews_override_not_author();
"""

DROP = """
DROP TRIGGER IF EXISTS reviews_raci_not_author ON reviews_raciassignment;
DROP TRIGGER IF EXISTS reviews_signoff_not_author ON reviews_signoff;
DROP TRIGGER IF EXISTS reviews_gatecheck_not_author ON reviews_gatecheck;
DROP TRIGGER IF EXISTS reviews_override_not_author ON reviews_lintoverride;
DROP FUNCTION IF EXISTS reviews_raci_not_author();
DROP FUNCTION IF EXISTS reviews_signoff_not_author();
DROP FUNCTION IF EXISTS reviews_gatecheck_not_author();
DROP FUNCTION IF EXISTS reviews_override_not_author();
DROP FUNCTION IF EXISTS reviews_refuse_author(bigint, bigint, text);
"""


class Migration(migrations.Migration):
    dependencies = [("reviews", "0004_signoff_supersede")]

    operations = [migrations.RunSQL(AUTHOR_NEVER_REVIEWS, DROP)]
