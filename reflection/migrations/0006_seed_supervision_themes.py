"""The starting list of supervision themes. Editors change it in the Wagtail admin."""

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


def add_themes(apps, schema_editor):
    theme = apps.get_model("reflection", "SupervisionTheme")
    for order, name in enumerate(THEMES):
        theme.objects.get_or_create(name=name, defaults={"order": (order + 1) * 10})


def remove_themes(apps, schema_editor):
    apps.get_model("reflection", "SupervisionTheme").objects.filter(name__in=THEMES).delete()


class Migration(migrations.Migration):
    dependencies = [("reflection", "0005_supervision_relationships_sessions_actions")]

    operations = [migrations.RunPython(add_themes, remove_themes)]
