"""Every learning outcome now has a locale and a translation key (0015): both are required,
and a translation key is used once in each locale."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("modules", "0015_learning_outcome_locales"),
    ]

    operations = [
        migrations.AlterField(
            model_name="learningoutcome",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="learningoutcome",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(
            name="learningoutcome",
            unique_together={("translation_key", "locale")},
        ),
    ]
