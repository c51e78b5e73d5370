"""Journal titles, tags and lesson prompts written before the sanitiser kept plain text as typed
were stored with HTML entities ("Mother &amp; baby"). Store them as typed; templates escape them
once on output. The fields are encrypted, so every entry is read and only changed ones written."""

from html import unescape

from django.db import migrations

FIELDS = ("title", "tags", "prompt")


def unescape_stored(apps, schema_editor):
    entry_model = apps.get_model("reflection", "JournalEntry")
    for entry in entry_model.objects.only("pk", *FIELDS).iterator():
        changed = {}
        for field in FIELDS:
            value = getattr(entry, field) or ""
            plain = unescape(value)
            if plain != value:
                changed[field] = plain
        if changed:
            for field, value in changed.items():
                setattr(entry, field, value)
            entry.save(update_fields=list(changed))


class Migration(migrations.Migration):
    dependencies = [("reflection", "0008_safeguarding_patterns")]

    operations = [migrations.RunPython(unescape_stored, migrations.RunPython.noop)]
