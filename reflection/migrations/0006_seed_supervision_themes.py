"""The starting list of supervision themes, and content editors' permission to keep the list in
the Wagtail admin (snippets use the model permissions)."""

from django.db import migrations

THEMES = [
    "Care proceedings",
    "Separation at birth",
    "HOPE Boxes",
    "Information-sharing",
    "Vicarious trauma",
    "Moral injury",
    "Grief and loss",
    "Multi-agency working",
    "Caseload and workload",
    "Professional development",
]
ACTIONS = ("add", "change", "delete", "view")


def add_themes(apps, schema_editor):
    theme = apps.get_model("reflection", "SupervisionTheme")
    for order, name in enumerate(THEMES):
        theme.objects.get_or_create(name=name, defaults={"order": (order + 1) * 10})
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    editors, _ = Group.objects.get_or_create(name="Content editors")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="reflection", model="supervisiontheme"
    )
    for action in ACTIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_supervisiontheme",
            defaults={"name": f"Can {action} supervision theme"},
        )
        editors.permissions.add(permission)


def remove_themes(apps, schema_editor):
    apps.get_model("reflection", "SupervisionTheme").objects.filter(name__in=THEMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reflection", "0005_supervision_relationships_sessions_actions"),
        ("learning", "0002_platform_groups"),
    ]

    operations = [migrations.RunPython(add_themes, remove_themes)]
