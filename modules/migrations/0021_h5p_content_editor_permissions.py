"""Content editors add H5P content and choose it for lessons; deleting it (with every learner's
result in it) is left to administrators."""

from django.db import migrations

ACTIONS = ("add", "change", "view")


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    editors, _ = Group.objects.get_or_create(name="Content editors")
    content_type, _ = ContentType.objects.get_or_create(app_label="modules", model="h5pcontent")
    for action in ACTIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_h5pcontent",
            defaults={"name": f"Can {action} H5P content"},
        )
        editors.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("modules", "0020_h5p_content"),
        ("learning", "0002_platform_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
