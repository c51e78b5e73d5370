"""Supervision themes get a Welsh name, shown to people reading in Welsh. The starting themes
(from 0006) get theirs here, where nobody has given one yet; a theme an editor renamed or added
keeps an empty Welsh name (its English name shows) until an editor gives it one."""

from django.db import migrations, models

# The starting themes' Welsh names (to be checked by a fluent Welsh speaker; see docs/welsh.md).
WELSH_NAMES = {
    "Care proceedings": "Achosion gofal",
    "Separation at birth": "Gwahanu adeg geni",
    "HOPE Boxes": "Blychau HOPE",
    "Information-sharing": "Rhannu gwybodaeth",
    "Vicarious trauma": "Trawma dirprwyol",
    "Moral injury": "Niwed moesol",
    "Grief and loss": "Galar a cholled",
    "Multi-agency working": "Gweithio amlasiantaethol",
    "Caseload and workload": "Llwyth achosion a llwyth gwaith",
    "Professional development": "Datblygiad proffesiynol",
}


def add_welsh_names(apps, schema_editor):
    theme = apps.get_model("reflection", "SupervisionTheme")
    taken = set(theme.objects.exclude(name_cy="").values_list("name_cy", flat=True))
    for name, welsh in WELSH_NAMES.items():
        if welsh not in taken:
            theme.objects.filter(name=name, name_cy="").update(name_cy=welsh)


def remove_welsh_names(apps, schema_editor):
    """Nothing to undo: the field itself goes when the migration is reversed."""


class Migration(migrations.Migration):
    dependencies = [
        ("reflection", "0013_portfolio_swe_cpd_and_discussion"),
    ]

    operations = [
        migrations.AddField(
            model_name="supervisiontheme",
            name="name_cy",
            field=models.CharField(
                blank=True,
                help_text="Shown to people reading in Welsh. Left empty, they see the English name.",
                max_length=80,
                verbose_name="name in Welsh",
            ),
        ),
        migrations.AddConstraint(
            model_name="supervisiontheme",
            constraint=models.UniqueConstraint(
                condition=models.Q(("name_cy", ""), _negated=True),
                fields=("name_cy",),
                name="supervision_theme_welsh_name_unique",
            ),
        ),
        migrations.RunPython(add_welsh_names, remove_welsh_names),
    ]
