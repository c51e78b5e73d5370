"""Plain text written before the sanitiser kept it as typed was stored with HTML entities
("Mother &amp; baby"), which every page then showed. Store those values as typed; templates
escape them once on output."""

from html import unescape

from django.db import migrations

FIELDS = {
    "Thread": ("title",),
    "ReflectiveSession": ("title", "joining_details"),
    "Flag": ("detail",),
}


def unescape_stored(apps, schema_editor):
    for model_name, fields in FIELDS.items():
        model = apps.get_model("community", model_name)
        for field in fields:
            rows = model.objects.filter(**{f"{field}__contains": "&"}).only("pk", field)
            for row in rows.iterator():
                value = getattr(row, field)
                plain = unescape(value)
                if plain != value:
                    model.objects.filter(pk=row.pk).update(**{field: plain})


class Migration(migrations.Migration):
    dependencies = [("community", "0007_space_organisation")]

    operations = [migrations.RunPython(unescape_stored, migrations.RunPython.noop)]
