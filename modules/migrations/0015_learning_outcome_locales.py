"""Each learning outcome gets its page's locale and a translation key. An English module's
outcomes get new keys; a translated module's outcomes (the Welsh module installed from
``modules/curriculum/cy/``) get the keys of the English module's outcomes in the same places, so
each translation stays paired with its English outcome.

The pages' revisions are brought in line too: an editor's draft, or the installer's next update,
starts from the latest revision, and an outcome without a key there would come back with a new
one and lose its translation."""

import uuid
from collections import defaultdict

from django.conf import settings
from django.db import migrations


def _outcomes_by_page(Outcome):
    by_page = defaultdict(list)
    for outcome in Outcome.objects.order_by("page_id", "sort_order", "pk"):
        by_page[outcome.page_id].append(outcome)
    return by_page


def forwards(apps, schema_editor):
    Outcome = apps.get_model("modules", "LearningOutcome")
    ModulePage = apps.get_model("modules", "ModulePage")
    Locale = apps.get_model("wagtailcore", "Locale")
    default = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    if default is None:  # no locale yet: nothing to translate, every page is the default's
        default = Locale.objects.create(language_code=settings.LANGUAGE_CODE)
    pages = {
        pk: (locale_id, key)
        for pk, locale_id, key in ModulePage.objects.values_list(
            "pk", "locale_id", "translation_key"
        )
    }
    by_page = _outcomes_by_page(Outcome)
    source_keys: dict = {}
    ordered = sorted(
        by_page, key=lambda page_id: pages.get(page_id, (default.pk,))[0] != default.pk
    )
    for page_id in ordered:
        locale_id, page_key = pages.get(page_id, (default.pk, None))
        outcomes = by_page[page_id]
        if locale_id == default.pk:
            keys = [uuid.uuid4() for _ in outcomes]
            source_keys[page_key] = keys
        else:
            english = source_keys.get(page_key, [])
            keys = [english[i] if i < len(english) else uuid.uuid4() for i in range(len(outcomes))]
        for outcome, key in zip(outcomes, keys, strict=True):
            outcome.locale_id = locale_id
            outcome.translation_key = key
    Outcome.objects.bulk_update(
        [o for outcomes in by_page.values() for o in outcomes], ["locale", "translation_key"]
    )
    _revisions(apps, pages, by_page)


def _revisions(apps, pages, by_page):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    content_type = ContentType.objects.filter(app_label="modules", model="modulepage").first()
    if content_type is None:
        return
    for revision in Revision.objects.filter(content_type=content_type).iterator():
        items = (revision.content or {}).get("learning_outcomes") or []
        if not items or all(item.get("translation_key") for item in items):
            continue
        page_id = int(revision.object_id)
        current = by_page.get(page_id, [])
        rows = {o.pk: o for o in current}
        used = {str(rows[i["pk"]].translation_key) for i in items if i.get("pk") in rows}
        spare = [str(o.translation_key) for o in current if str(o.translation_key) not in used]
        locale_id = pages.get(page_id, (None,))[0]
        for item in items:
            row = rows.get(item.get("pk"))
            if row is not None:
                item["translation_key"] = str(row.translation_key)
            else:
                item["translation_key"] = spare.pop(0) if spare else str(uuid.uuid4())
            item["locale"] = locale_id
        Revision.objects.filter(pk=revision.pk).update(content=revision.content)


def backwards(apps, schema_editor):
    """Nothing to undo: 0014's reversal removes the fields."""


class Migration(migrations.Migration):
    dependencies = [
        ("modules", "0014_learning_outcome_translation_fields"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
