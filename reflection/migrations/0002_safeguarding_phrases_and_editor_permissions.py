"""A starting list of safeguarding phrases, and content editors' permission to keep the list in
the Wagtail admin (snippets use the model permissions)."""

from django.db import migrations

PHRASES = (
    "at risk now",
    "immediate danger",
    "in danger",
    "is being hurt",
    "has been hurt",
    "not safe at home",
    "threatened to kill",
    "going to hurt",
    "wants to end her life",
    "suicidal",
    "self-harm",
    "domestic abuse",
    "hit her",
    "hit the baby",
    "injury to the baby",
    "left alone",
    "no one knows",
    "have not told anyone",
)
ACTIONS = ("add", "change", "delete", "view")


def forwards(apps, schema_editor):
    SafeguardingPhrase = apps.get_model("reflection", "SafeguardingPhrase")
    for phrase in PHRASES:
        SafeguardingPhrase.objects.get_or_create(phrase=phrase)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    editors, _ = Group.objects.get_or_create(name="Content editors")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="reflection", model="safeguardingphrase"
    )
    for action in ACTIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_safeguardingphrase",
            defaults={"name": f"Can {action} safeguarding phrase"},
        )
        editors.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("reflection", "0001_journal_entries_safeguarding_phrases"),
        ("learning", "0002_platform_groups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
