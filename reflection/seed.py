"""Demo journal for the demo practitioner: four reflections written from the
learning review's themes (underpreparedness about family justice processes, the emotional weight
of a separation, inter-agency tension, supervision and peer reflection), made through the real
services, so the identifier guard and encryption run as they would for a person. Non-identifying
by design. Idempotent: an entry whose title is already in the journal is not made again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from learning.models import User
from reflection.journal import services
from reflection.journal.selectors import journal_entries_visible_to

PRACTITIONER = "practitioner@demo.holdinghope.test"


@dataclass(frozen=True)
class DemoReflection:
    title: str
    days_ago: int
    model: str
    tags: str
    sections: dict[str, str]
    summary: str
    from_lesson: bool = False


DEMO_REFLECTIONS: tuple[DemoReflection, ...] = (
    DemoReflection(
        title="Preparing for a pre-birth planning meeting",
        days_ago=40,
        model="gibbs",
        tags="family justice, pre-birth assessment, confidence",
        from_lesson=True,
        sections={
            "description": (
                "I was asked to attend a pre-birth planning meeting for a woman I have been "
                "seeing in the antenatal period. It was my first meeting of this kind and I was "
                "not sure what was expected of me, or whether my clinical notes could be asked "
                "for later in proceedings."
            ),
            "feelings": (
                "I felt anxious beforehand and underprepared. Part of me wanted to stay quiet "
                "so that I would not say the wrong thing, and part of me wanted to make sure "
                "her voice was heard in the room."
            ),
            "evaluation": (
                "It went better than I feared. I shared the formulation we had agreed she was "
                "happy for me to share, and the social worker thanked me for it. What was "
                "difficult was not knowing the timescales that everyone else seemed to take for "
                "granted."
            ),
            "analysis": (
                "My anxiety came mostly from not understanding the process: who decides what, "
                "and when. When I understood my role was to bring the mental health picture "
                "and her strengths, not to make the decision, I could think more clearly."
            ),
            "conclusion": (
                "I could have asked the chair at the start what the meeting needed from me, "
                "and checked with my supervisor beforehand what may be disclosed."
            ),
            "action_plan": (
                "Finish the family justice processes module, talk to our safeguarding lead "
                "about information-sharing, and prepare a short written summary with her "
                "before the next meeting so she knows exactly what I will say."
            ),
        },
        summary=(
            "Understanding the process reduces my anxiety. I will prepare with the woman "
            "beforehand and agree what I will share."
        ),
    ),
    DemoReflection(
        title="After a separation on the postnatal ward",
        days_ago=26,
        model="rolfe",
        tags="separation, grief, moral injury",
        sections={
            "what": (
                "I was on the ward on the day a woman I had supported through pregnancy was "
                "separated from her baby. I stayed with her for the hour afterwards. I did not "
                "have much to say and mostly sat with her."
            ),
            "so_what": (
                "It stayed with me for days. I kept going back over whether more could have "
                "been done earlier. Naming it in supervision as moral injury helped: it was not "
                "that I had done something wrong, but that I had witnessed something that "
                "conflicted with what I believe good care looks like."
            ),
            "now_what": (
                "I will ask for restorative supervision after any separation rather than "
                "waiting for the next scheduled session, and make sure the post-separation "
                "support plan is in place before the birth, not after."
            ),
        },
        summary=(
            "Being present matters even when there is little to say. I will ask for "
            "restorative supervision sooner."
        ),
    ),
    DemoReflection(
        title="Holding both mother and baby in mind",
        days_ago=15,
        model="free",
        tags="inter-agency, children's social care",
        sections={
            "reflection": (
                "Today I noticed how differently the social worker and I were talking about "
                "the same family. She was focused on the baby's safety, and I was focused on "
                "the mother's mental health and what she would need whatever happened. I felt "
                "frustrated at first, then realised we were both holding part of the picture."
                "\n\n"
                "Social workers here are carrying huge caseloads and changes of staff. Next "
                "time I want to offer a short joint conversation early on, so that both needs "
                "are considered together rather than in competition."
            ),
        },
        summary="Our roles are different, not opposed. I will offer joint conversations early.",
    ),
    DemoReflection(
        title="Starting a peer reflection group",
        days_ago=5,
        model="kolb",
        tags="peer support, supervision, wellbeing",
        sections={
            "experience": (
                "Three of us who work on this pathway met for an hour to talk about the cases "
                "that stay with us. Nobody had planned what to say."
            ),
            "observation": (
                "It was a relief to hear that others feel the same weight after a separation. "
                "Some of the talk drifted into case detail, which we agreed was not what the "
                "space was for."
            ),
            "conceptualisation": (
                "Peer reflection works best with a simple structure and a shared agreement "
                "about confidentiality. It complements supervision rather than replacing it."
            ),
            "experimentation": (
                "We will meet monthly, use a short structure based on a reflective model, and "
                "keep to our own experience rather than the details of families."
            ),
        },
        summary=(
            "Peer reflection keeps practice safe when it has structure. We will meet monthly "
            "with an agreed format."
        ),
    ),
)


def _lesson_with_prompt():
    """A live lesson and one of its reflection prompts (or ``(None, "")``)."""
    from modules.progress.selectors import lessons_of, live_modules

    for module in live_modules():
        for lesson in lessons_of(module):
            for block in lesson.body:
                if block.block_type == "reflection_prompt":
                    return lesson, str(block.value["prompt"])
    return None, ""


def demo_texts() -> list[str]:
    """Every piece of text the demo journal contains, for checking the identifier guard."""
    texts = []
    for r in DEMO_REFLECTIONS:
        texts += [r.title, r.tags, r.summary, *r.sections.values()]
    return texts


@transaction.atomic
def seed_demo_journal(stdout=None) -> None:
    user = User.objects.filter(email=PRACTITIONER).first()
    if user is None:
        return
    existing = {e.title for e in journal_entries_visible_to(user).only("pk", "title")}
    today = timezone.localdate()
    made = 0
    for r in DEMO_REFLECTIONS:
        if r.title in existing:
            continue
        lesson, prompt = _lesson_with_prompt() if r.from_lesson else (None, "")
        services.journal_entry_create(
            author=user,
            title=r.title,
            experienced_on=today - timedelta(days=r.days_ago),
            model=r.model,
            sections=r.sections,
            tags=r.tags,
            summary=r.summary,
            lesson=lesson,
            prompt=prompt,
        )
        made += 1
    if stdout and made:
        stdout.write(f"  {PRACTITIONER}: {made} journal entries\n")


SUPERVISOR = "supervisor@demo.holdinghope.test"


@transaction.atomic
def seed_demo_signoff(stdout=None) -> None:
    """One reflection signed off by the demo supervisor and one waiting for sign-off, through
    the real services. Idempotent."""
    from reflection.signoff.models import SignOffRequest
    from reflection.signoff.services import signoff_request_create, signoff_sign

    author = User.objects.filter(email=PRACTITIONER).first()
    supervisor = User.objects.filter(email=SUPERVISOR).first()
    if author is None or supervisor is None:
        return
    if SignOffRequest.objects.filter(author=author).exists():
        return
    entries = [
        e
        for e in journal_entries_visible_to(author).order_by("experienced_on", "pk")
        if (e.summary or "").strip()
    ]
    if len(entries) < 2:
        return
    signed = signoff_request_create(
        author=author,
        entry=entries[0],
        supervisor=supervisor,
        note="Thank you for our conversation about this in supervision.",
        confirm_identifiers=True,
    )
    signoff_sign(
        supervisor=supervisor,
        request=signed,
        comment=(
            "A thoughtful reflection. Your plan to ask the social worker about the timetable "
            "early is a good one; let's come back to it next month."
        ),
    )
    signoff_request_create(author=author, entry=entries[1], supervisor=supervisor, note="")
    if stdout:
        stdout.write(f"  {PRACTITIONER}: one reflection signed off, one waiting for sign-off\n")
