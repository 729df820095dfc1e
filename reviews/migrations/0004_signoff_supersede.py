from django.conf import settings
from django.db import migrations, models

# Earlier rows of a slot that was signed more than once become history, superseded when the
# next decision in the same slot was recorded; the latest stays current.
SUPERSEDE_REPEATS = """
UPDATE reviews_signoff AS s
SET superseded_at = later.next_at
FROM (
    SELECT id, LEAD(recorded_at) OVER (
        PARTITION BY version_id, area, role, user_id ORDER BY recorded_at, id
    ) AS next_at
    FROM reviews_signoff
) AS later
WHERE s.id = later.id AND later.next_at IS NOT NULL;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0003_comments"),
        ("specs", "0004_dashboard_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="signoff",
            name="superseded_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunSQL(SUPERSEDE_REPEATS, migrations.RunSQL.noop),
        migrations.AddConstraint(
            model_name="signoff",
            constraint=models.UniqueConstraint(
                condition=models.Q(("superseded_at__isnull", True)),
                fields=("version", "area", "role", "user"),
                name="one_current_signoff_per_slot",
            ),
        ),
    ]
