"""Topics and audiences get a Welsh name, shown to people reading in Welsh. The shipped ones
get theirs from ``manage.py install_curriculum`` (where nobody has given one yet)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("modules", "0012_esr_export"),
    ]

    operations = [
        migrations.AddField(
            model_name="audience",
            name="name_cy",
            field=models.CharField(
                blank=True,
                help_text="Shown to people reading in Welsh. Left empty, they see the English name.",
                max_length=120,
                verbose_name="name in Welsh",
            ),
        ),
        migrations.AddField(
            model_name="topic",
            name="name_cy",
            field=models.CharField(
                blank=True,
                help_text="Shown to people reading in Welsh. Left empty, they see the English name.",
                max_length=120,
                verbose_name="name in Welsh",
            ),
        ),
        migrations.AddConstraint(
            model_name="audience",
            constraint=models.UniqueConstraint(
                condition=models.Q(("name_cy", ""), _negated=True),
                fields=("name_cy",),
                name="audience_welsh_name_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="topic",
            constraint=models.UniqueConstraint(
                condition=models.Q(("name_cy", ""), _negated=True),
                fields=("name_cy",),
                name="topic_welsh_name_unique",
            ),
        ),
    ]
