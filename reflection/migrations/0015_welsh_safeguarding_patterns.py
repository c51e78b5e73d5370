"""Starting safeguarding patterns in Welsh, beside the English ones (every pattern is looked for
in every text). A short, conservative list: a person's own words about ending their life,
killing or harming themselves, and someone not being safe, with the mutated forms Welsh uses
after "fy", "ei" and "i" listed as alternatives; and the words that mark a Welsh sentence as
about training or the past. To be checked by a fluent Welsh speaker (docs/welsh.md); editors
add to and change them in the Wagtail admin like the English ones."""

from django.db import migrations

# (pattern, window): text that suggests someone may be at risk now.
CONCERN_CY = (
    (
        "lladd fy hun/ladd fy hun/lladd ei hun/ladd ei hun/lladd eu hunain/ladd eu hunain/"
        "hunanladd*",
        1,
    ),
    (
        "niweidio fy hun/niweidio ei hun/brifo fy hun/frifo fy hun/brifo ei hun/frifo ei hun/"
        "anafu fy hun/anafu ei hun/hunan-niweidio/hunanniweidio",
        1,
    ),
    (
        "diwedd ar fy mywyd/diwedd i'm bywyd/diwedd ar ei bywyd/diwedd ar ei fywyd/"
        "terfyn ar fy mywyd/terfyn ar ei bywyd/terfyn ar ei fywyd/diwedd ar y cyfan",
        1,
    ),
    (
        "eisiau marw/isio marw/moyn marw/ddim eisiau byw/ddim isio byw/ddim moyn byw/"
        "dim pwynt byw/dim byd i fyw amdano",
        1,
    ),
    ("babi/plant/plentyn/mam/hi/nhw/fi + ddim yn ddiogel/ddim yn saff/mewn perygl", 8),
)

# (pattern, window): a sentence these match is about training or the past, and does not prompt.
NOT_CURRENT_CY = (
    (
        "hyfforddiant/modiwl/cwrs/gweithdy/darlith/astudiaeth achos/senario/"
        "flynyddoedd yn ôl/blynyddoedd yn ôl/blwyddyn yn ôl/llynedd/yn y gorffennol",
        40,
    ),
)


def forwards(apps, schema_editor):
    SafeguardingPhrase = apps.get_model("reflection", "SafeguardingPhrase")
    for rows, not_current in ((CONCERN_CY, False), (NOT_CURRENT_CY, True)):
        for phrase, window in rows:
            SafeguardingPhrase.objects.get_or_create(
                phrase=phrase, defaults={"window": window, "not_current": not_current}
            )


def backwards(apps, schema_editor):
    SafeguardingPhrase = apps.get_model("reflection", "SafeguardingPhrase")
    SafeguardingPhrase.objects.filter(
        phrase__in=[p for p, _ in CONCERN_CY + NOT_CURRENT_CY]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reflection", "0014_welsh_names_for_supervision_themes"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
