"""Content in English and Welsh: the site's pages are English (``en-gb``, the default locale)
and a Welsh locale (``cy``) is there for their translations.

Wagtail made the first locale from the language code when it was installed. If that locale has
another code for English (``en``), it becomes ``en-gb``, so every existing page stays in the
default locale; no page is moved or changed."""

from django.db import migrations

ENGLISH = "en-gb"
WELSH = "cy"


def add_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    if not Locale.objects.filter(language_code=ENGLISH).exists():
        first = Locale.objects.filter(language_code__in=["en", "en-us"]).order_by("pk").first()
        if first is not None:
            first.language_code = ENGLISH
            first.save(update_fields=["language_code"])
        else:
            Locale.objects.create(language_code=ENGLISH)
    Locale.objects.get_or_create(language_code=WELSH)


def remove_welsh(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    welsh = Locale.objects.filter(language_code=WELSH).first()
    if welsh is not None and not Page.objects.filter(locale=welsh).exists():
        welsh.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("modules", "0010_installed_pages"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(add_locales, remove_welsh)]
