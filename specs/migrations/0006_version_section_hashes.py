from django.db import migrations, models

from specs.diffing.fingerprints import section_fingerprints


def fingerprint_stored_versions(apps, schema_editor):
    SpecVersion = apps.get_model("specs", "SpecVersion")
    for version in SpecVersion.objects.only("pk", "source").iterator(chunk_size=200):
        SpecVersion.objects.filter(pk=version.pk).update(
            section_hashes=section_fingerprints(version.source)
        )


class Migration(migrations.Migration):
    dependencies = [("specs", "0005_versions_refuse_truncate")]

    operations = [
        migrations.AddField(
            model_name="specversion",
            name="section_hashes",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(fingerprint_stored_versions, migrations.RunPython.noop),
    ]
