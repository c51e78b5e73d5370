"""Learning outcomes become translatable (wagtail's pattern for an existing model): first the
locale and translation key, empty for the rows already there; 0015 fills them in and 0016 makes
them required and unique together. Three migrations, so that on PostgreSQL the rows are filled
in before the table is altered again."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("modules", "0013_welsh_names_for_topics_and_audiences"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="learningoutcome",
            options={"ordering": ["sort_order"], "verbose_name": "learning outcome"},
        ),
        migrations.AddField(
            model_name="learningoutcome",
            name="locale",
            field=models.ForeignKey(
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AddField(
            model_name="learningoutcome",
            name="translation_key",
            field=models.UUIDField(null=True, editable=False),
        ),
    ]
