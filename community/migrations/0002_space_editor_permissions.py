"""Content editors and national coordinators create and edit community spaces (and choose
their facilitators) in the Wagtail admin; snippets use the model permissions."""

from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")
GROUPS = ("Content editors", "National coordinators")


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="community", model="space")
    permissions = []
    for action in ACTIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_space",
            defaults={"name": f"Can {action} community space"},
        )
        permissions.append(permission)
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_spaces_threads_posts_moderation_sessions"),
        ("learning", "0002_platform_groups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
