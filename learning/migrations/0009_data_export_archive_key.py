"""Download archives are encrypted at rest from now on, each with its own key. Archives made
before this were stored in clear: their files are deleted and the exports marked expired (the
person can ask for a new download), so no clear archive is left in storage."""

from django.db import migrations, models

import learning.encryption


def expire_clear_archives(apps, schema_editor):
    DataExport = apps.get_model("learning", "DataExport")
    for export in DataExport.objects.exclude(file=""):
        export.file.delete(save=False)
    DataExport.objects.filter(status__in=["ready", "expired"]).update(status="expired", file="")
    DataExport.objects.exclude(file="").update(file="")


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0008_encrypt_two_factor_secrets"),
    ]

    operations = [
        migrations.RunPython(expire_clear_archives, migrations.RunPython.noop),
        migrations.AddField(
            model_name="dataexport",
            name="archive_key",
            field=learning.encryption.EncryptedTextField(blank=True, default="", editable=False),
        ),
        migrations.AddConstraint(
            model_name="dataexport",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "ready"), _negated=True),
                    models.Q(
                        models.Q(("archive_key", ""), _negated=True),
                        models.Q(("file", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="data_export_ready_has_key",
            ),
        ),
        migrations.AddConstraint(
            model_name="dataexport",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "expired"), _negated=True),
                    models.Q(("archive_key", ""), ("file", "")),
                    _connector="OR",
                ),
                name="data_export_expired_has_no_key",
            ),
        ),
    ]
