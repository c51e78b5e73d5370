"""Safeguarding phrases become patterns that tolerate word forms and word order (terms joined
by "+", alternatives by "/", a window of words) and "not current" patterns that quiet a sentence
about training, the past or a concern already passed on. The starting phrases are replaced by
patterns that cover them; phrases editors added are kept and still match as before (each is one
term, its words in order), now with their word forms too."""

import django.core.validators
from django.db import migrations, models

# The starting list from 0002, replaced by the patterns below where unchanged.
OLD_PHRASES = (
    "at risk now",
    "immediate danger",
    "in danger",
    "is being hurt",
    "has been hurt",
    "not safe at home",
    "threatened to kill",
    "going to hurt",
    "wants to end her life",
    "suicidal",
    "self-harm",
    "domestic abuse",
    "hit her",
    "hit the baby",
    "injury to the baby",
    "left alone",
    "no one knows",
    "have not told anyone",
)

# (pattern, window): text that suggests someone may be at risk now.
CONCERN = (
    (
        "she/he/her/him/mum/mother/dad/baby/children/child/kids/they/woman/girl/boy + not safe/unsafe/isn't safe/not feel safe/doesn't feel safe/don't feel safe/not feeling safe/feels unsafe/in danger/at risk/at immediate risk/immediate danger",
        8,
    ),
    ("can't keep/cannot keep/can not keep + safe", 6),
    ("not sure + safe", 6),
    (
        "afraid/frightened/scared/terrified/fear + for her life/for his life/for her safety/for the baby/for the children/for their safety/for her",
        6,
    ),
    ("worried/worry/concerned/scared/frightened/afraid + safety/safe/danger/harm/harmed/hurt", 10),
    (
        "scared/afraid/frightened/terrified + go home/go back/leave/find/find out/come/what he/of him/of her partner/of what",
        10,
    ),
    ("too scared/too frightened/too afraid", 4),
    (
        "hit/hits/hitting/hurt/hurting/beat/beats/beaten/beating/punch/kick/kicked/push/pushed/shove/shoved/grab/grabbed/slap/strangle/throttle/choke + her/him/me/baby/baby's/mummy/mum/children/child/son/daughter/the boy/the older/herself/them/wrist/arm/phone/against the wall",
        4,
    ),
    (
        "smash/smashed/broke/pin/pinned/squeeze/squeezed/throw/threw/thrown/drag/dragged/bite/bit/burn/burnt/stab/stabbed/attack/assault/batter/battered/pinch/twist/headbutt/whip + her/him/me/baby/baby's/mummy/mum/children/child/son/daughter/the boy/the older/herself/them/wrist/arm/phone/against the wall",
        4,
    ),
    ("danger + she/he/her/him/baby/children/mum/they", 6),
    (
        "not wanting to wake up/not wake up/not be around/not around much longer/can't go on/cannot go on/can not go on/no way out/no point in living/wants it all to stop/hang herself/hang himself/ligature/walk into the sea/walk in front of/say goodbye/goodbye letter",
        1,
    ),
    ("swallowed/swallow/taken/took + tablets/pills/paracetamol/packet/bottle/overdose/too many", 5),
    (
        "not been changed/dirty nappy/screaming with hunger/starving/no nappies/no formula/unwashed/left in his cot/left in her cot/left in the cot/cot all day",
        1,
    ),
    ("blood/bleeding/bite marks/would not let me see/won't let me see/wouldn't let me see", 1),
    ("controlled/controlling/isolated/isolating/monitors/tracks + her/by", 6),
    (
        "intimate pictures/intimate images/pictures of her/images of her/share pictures/post pictures",
        1,
    ),
    ("bat/baseball bat/machete/weapon/knife/gun", 1),
    (
        "conviction/convicted/offences/offender/sex offender + child/children/violence/hurting/hurt/harm/assault",
        8,
    ),
    (
        "sent back/sent home/taken abroad/married off/marry/married + if/against/forced/made/told she would",
        6,
    ),
    ("threat/threatening/threatened + her/by", 3),
    ("black eye/broken nose/split lip", 1),
    ("kept from/stopped from/prevented from", 1),
    ("no one has seen/nobody has seen/not been seen/not allowed near", 1),
    ("hiding/hide + from him/from her partner/from them/in the bathroom", 4),
    ("too unwell to/too ill to/too drunk to/too high to", 1),
    ("being hurt/being hit/being beaten/being abused/being harmed", 1),
    ("found out where/knows where she/know where she/find out where", 1),
    ("threat/threaten + kill/hurt/take/harm/find/burn/make sure/himself", 10),
    (
        "he/dad/partner/father/boyfriend/husband/stepfather/ex/uncle/brother + will/would/going to/is going to + hurt/kill/harm/snatch/take/find/come",
        8,
    ),
    ("kill/kills + the baby/herself/himself/the children/her and/me and", 3),
    ("strangle/strangulation/throttle/choked/fingermarks/fingermark", 1),
    (
        "abuse/abusing/abused/rape/raped/beaten/exploit*/groom*/traffick*/forced/forces/forcing/made to/making her + her/she/him/he/sister/brother/baby/children/me",
        6,
    ),
    ("domestic abuse/violence + is/still/currently/now/being", 6),
    ("lock/locks/locked/locking + her/him/them/baby/in/inside/room", 4),
    ("keeps/kept + keys/locked/in one room/indoors", 4),
    (
        "won't let/will not let/not allowed/controls/controlling + her/leave/out/see/feed/medication/take",
        6,
    ),
    ("takes/took + her money/passport", 3),
    ("stalking/following her/outside her/waiting outside/turned up", 2),
    ("knife/gun/weapon", 1),
    ("forced/force + marry/marriage/sex", 4),
    ("female genital mutilation/fgm/cut the baby", 1),
    (
        "bruise/bruising/marks/mark/burn/injury/injuries/fracture/fractures/bleed/swollen/black eye/cuts + baby/baby's/her/his/child/neck/face/arms/arm/back/cheek/head",
        8,
    ),
    (
        "injuries/injury/bruising/bruises/marks + not explain/cannot explain/can't explain/no explanation/unexplained/don't match/do not match/does not know how/nobody could explain/not add up/doesn't add up/does not add up/will not say/won't say",
        12,
    ),
    ("shaken/shaking him/shake the baby/shaking the baby/feels like shaking", 2),
    (
        "end her life/end his life/end my life/end it all/ending it all/end things/kill herself/kill himself/killing herself/take her own life/suicid*/overdose/nothing to live for/better off without/wants to die/want to die/wanted to die/not want to be here/don't want to be here/jumping off/jump off",
        1,
    ),
    (
        "self-harm/self harm/self harming/self-harming/cutting herself/cutting himself/hurt herself/hurt himself/harm herself/harm himself/harming herself/deep cuts",
        1,
    ),
    ("planning/plan/letters/tablets/saving up + kill/die/life/overdose/end", 10),
    ("harm/harming/hurt/hurting/shake + the baby/her baby/him", 4),
    ("hearing voices/voices telling", 2),
    ("left/leaves/leaving/alone + alone/on her own/unattended/with a/in the flat/in the cot", 6),
    ("baby/toddler/children/kids + alone", 6),
    (
        "not been fed/not fed/no milk/no food/hungry/not gaining weight/losing weight/missing feeds/missed feeds/not feeding/stopped eating/cold and unwell/filthy/neglected/neglecting",
        1,
    ),
    (
        "drunk/drinking/using again/using drugs/high/unconscious + baby/newborn/caring/holding/looking after",
        10,
    ),
    ("missing + with the baby/school/weeks", 6),
    ("nowhere to go/sleeping in the car/threw her out/no heating", 1),
    (
        "nobody knows/no one knows/not told anyone/hasn't told anyone/not to tell anyone/don't tell anyone/begged me not/in confidence",
        1,
    ),
    (
        "disclose/disclosed/told me + abus*/rape/raped/hits/hitting/hurts/hurt/beaten/beating/violence",
        10,
    ),
    ("refuge + tonight/wants to go/needs", 6),
    ("sell drugs/dealing/men come to the flat/come to the flat at night", 1),
    ("flinch/flinched/jump at every noise/jumps at", 1),
    ("rough with the baby/rough with her", 1),
    ("taken abroad", 1),
)

# (pattern, window): a sentence these match is about training, the past, feelings or a concern
# already passed on, and does not prompt.
NOT_CURRENT = (
    (
        "heel prick/birthmark/birth mark/must always/should always/read about/reading about/i read",
        40,
    ),
    (
        "simulation/exercise/conference/discussed/why women/described how/news/news story/book/article/podcast/documentary/tv/programme/grew up/growing up/that cycle/long before/once had/caesarean/c-section/surgery/wound/scarred/reassured/hit her hard/hit me hard/hit home/her heart/my heart/a party/into work",
        40,
    ),
    (
        "training/module/lecture/course/workshop/session/scenario/role play/case study/quiz/reading/film/trainer/guidance/research/review/lesson/statistics/programme/practised/learned/learn/learning",
        40,
    ),
    (
        "years ago/year ago/last year/as a child/as a teenager/when i was a student/in the past/history of/used to/childhood",
        40,
    ),
    (
        "safe now/settled/feel safe now/feels safe/resolved/closed/ended/moved on/in recovery/has healed/recovering/improved/thriving/doing well",
        40,
    ),
    (
        "already spoken/already raised/raised my concern/made a safeguarding referral/referral went in/plan is in place/following it up/has visited/was arrested/in prison/injunction/no current/denied/assessed as low",
        40,
    ),
    (
        "if a woman/if a mother/what to do if/how i would respond/how to respond/how to ask/asking/ask directly",
        40,
    ),
    ("i hurt for/i felt/i feel/i was/i am afraid of/i'm scared i/i lay awake/i worry that i", 40),
    ("joked/laughed/football", 40),
)


def forwards(apps, schema_editor):
    SafeguardingPhrase = apps.get_model("reflection", "SafeguardingPhrase")
    SafeguardingPhrase.objects.filter(phrase__in=OLD_PHRASES).delete()
    for rows, not_current in ((CONCERN, False), (NOT_CURRENT, True)):
        for phrase, window in rows:
            SafeguardingPhrase.objects.update_or_create(
                phrase=phrase, defaults={"window": window, "not_current": not_current}
            )


def backwards(apps, schema_editor):
    SafeguardingPhrase = apps.get_model("reflection", "SafeguardingPhrase")
    SafeguardingPhrase.objects.filter(phrase__in=[p for p, _ in CONCERN + NOT_CURRENT]).delete()
    SafeguardingPhrase.objects.filter(not_current=True).delete()
    for phrase in OLD_PHRASES:
        SafeguardingPhrase.objects.get_or_create(phrase=phrase[:120])


class Migration(migrations.Migration):
    dependencies = [
        ("reflection", "0007_erased_people_pseudonymised"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="safeguardingphrase",
            options={
                "ordering": ["not_current", "phrase"],
                "verbose_name": "safeguarding pattern",
                "verbose_name_plural": "safeguarding patterns",
            },
        ),
        migrations.AddField(
            model_name="safeguardingphrase",
            name="not_current",
            field=models.BooleanField(
                default=False,
                help_text="Tick for words that show a sentence is about training, the past or a concern already passed on (for example: training/module/years ago). A sentence they match does not prompt.",
                verbose_name="marks text that is not a current concern",
            ),
        ),
        migrations.AddField(
            model_name="safeguardingphrase",
            name="window",
            field=models.PositiveSmallIntegerField(
                default=10,
                help_text="All the words joined by + must appear within this many words of each other.",
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(60),
                ],
                verbose_name="within how many words",
            ),
        ),
        migrations.AlterField(
            model_name="safeguardingphrase",
            name="phrase",
            field=models.CharField(
                help_text="Words that must all appear, joined by +, with choices separated by /, for example: scared/afraid/frightened + go home/of him. Each word also matches its usual forms (hurt finds hurts and hurting); end a word with * to match anything that starts with it. Words joined by + may come in any order.",
                max_length=400,
                unique=True,
                verbose_name="pattern",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
