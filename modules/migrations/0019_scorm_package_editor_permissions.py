"""Content editors add SCORM packages and choose them for lessons; deleting one (with every
learner's saved place in it) is left to administrators."""

from django.db import migrations

ACTIONS = ("add", "change", "view")


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    editors, _ = Group.objects.get_or_create(name="Content editors")
    content_type, _ = ContentType.objects.get_or_create(app_label="modules", model="scormpackage")
    for action in ACTIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_scormpackage",
            defaults={"name": f"Can {action} SCORM package"},
        )
        editors.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("modules", "0018_scorm_packages"),
        ("learning", "0002_platform_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
