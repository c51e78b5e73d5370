"""Saved threads, and "saved" and "search" kept for the community's own pages: a space that
already has one of those short names gets "-space" added before the constraint is checked."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def rename_reserved(apps, schema_editor):
    Space = apps.get_model("community", "Space")
    for space in Space.objects.filter(slug__in=["saved", "search"]):
        space.slug = f"{space.slug}-space"
        space.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0008_plain_text_unescaped"),
        ("learning", "0013_user_name_asked_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SavedThread",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.RemoveConstraint(
            model_name="space",
            name="space_slug_not_reserved",
        ),
        migrations.RunPython(rename_reserved, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="space",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("slug__in", ["moderation", "my-posts", "saved", "search"]), _negated=True
                ),
                name="space_slug_not_reserved",
                violation_error_message="That short name is used by the community's own pages. Choose another.",
            ),
        ),
        migrations.AddField(
            model_name="savedthread",
            name="thread",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="saves",
                to="community.thread",
            ),
        ),
        migrations.AddField(
            model_name="savedthread",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="savedthread",
            index=models.Index(fields=["user", "-created_at", "-id"], name="saved_thread_recent"),
        ),
        migrations.AddConstraint(
            model_name="savedthread",
            constraint=models.UniqueConstraint(fields=("user", "thread"), name="saved_thread_once"),
        ),
    ]
