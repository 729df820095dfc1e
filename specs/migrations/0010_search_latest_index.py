# The default search looks only at latest entries: a GIN index over just those lets the bitmap
# scan skip older versions' sections instead of fetching and discarding them (about three in
# four rows at the bench's size; docs/decisions/0013). Built concurrently: no write lock.

from django.db import migrations

CREATE = """
CREATE INDEX CONCURRENTLY IF NOT EXISTS search_document_latest
    ON specs_searchentry USING gin (document) WHERE is_latest;
"""
DROP = "DROP INDEX CONCURRENTLY IF EXISTS search_document_latest;"


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("specs", "0009_image_attachments")]

    operations = [migrations.RunSQL(CREATE, DROP)]
