"""Demo community: four spaces run by the demo facilitator, with
threads written from the learning review's themes (HOPE Boxes practice, preparing for court,
supporting a mother after separation, looking after yourself). Made through the real services,
so the identifier guard and sanitiser run; nothing identifies anyone.

There is exactly one post waiting for review (by a new member), so the demo can approve it and
hide another, and one reply a member has reported waits for a facilitator; the demo
practitioner is not yet a member of "Looking after yourself", so they can join it.
Every space has several threads with replies, some a month old (so search finds older
replies); sessions are past and upcoming, one full with a waiting list.
Idempotent: spaces by slug, threads by title, replies by their text."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from community.answers import services as answer_services
from community.models import (
    Flag,
    FlagReason,
    MembershipPolicy,
    MemberStatus,
    Post,
    PreModeration,
    ReflectiveSession,
    SessionSignup,
    SignupStatus,
    Space,
    SpaceMember,
    Thread,
)
from community.spaces import services as space_services
from community.threads import services as thread_services
from learning.guard import text_to_html
from learning.models import User

DOMAIN = "demo.holdinghope.test"
GUIDELINES = (
    "This is a space for learning from each other, not for case discussion.\n\n"
    "Never include anything that could identify a woman, a baby or a family: no names, dates "
    "of birth, places, case numbers or details that together would point to someone.\n\n"
    "Be kind. Colleagues here carry hard work; disagree with ideas, never with people.\n\n"
    "If you are worried about someone's safety now, use your organisation's safeguarding "
    "route, not this space.\n\n"
    "A facilitator reviews new members' first posts before they appear."
)

SPACES = [
    {
        "slug": "hope-boxes",
        "name": "HOPE Boxes practitioners",
        "description": (
            "For practitioners offering HOPE Boxes in maternity, social care, VCSE and "
            "maternal mental health services: sharing how we introduce, prepare and follow up."
        ),
        "membership_policy": MembershipPolicy.OPEN,
        "members": ["practitioner", "supervisor"],
    },
    {
        "slug": "family-court-questions",
        "name": "Family court questions",
        "description": (
            "Questions about care proceedings, pre-birth assessments, reports and what our "
            "role is in court. By request: a facilitator approves new members."
        ),
        "membership_policy": MembershipPolicy.REQUEST,
        # Questions and answers: the person who asked, or a facilitator, marks the answer.
        "questions_and_answers": True,
        "members": ["practitioner", "supervisor"],
    },
    {
        "slug": "after-separation",
        "name": "Supporting a mother after separation",
        "description": (
            "Practice after a baby is separated at birth: the first days, contact, grief, "
            "and staying alongside a mother when other services step back."
        ),
        "membership_policy": MembershipPolicy.OPEN,
        "members": ["practitioner", "supervisor", "orgadmin"],
    },
    {
        "slug": "looking-after-yourself",
        "name": "Looking after yourself",
        "description": (
            "The emotional weight of this work: supervision, peer support, moral injury and "
            "what helps us keep going."
        ),
        "membership_policy": MembershipPolicy.OPEN,
        "members": ["supervisor"],
    },
]

# space slug, title, author, days ago, opening post, [(author, reply)]
THREADS = [
    (
        "hope-boxes",
        "When do you first mention the HOPE Box?",
        "practitioner",
        12,
        "I am never sure when to first talk about the box. Too early and it can feel as if "
        "we have already decided the outcome; too late and there is no time to fill it "
        "together. How do others judge the moment?",
        [
            (
                "facilitator",
                "We tend to mention it once the pre-birth assessment plan is shared, framed as "
                "something every mother in this situation is offered, whatever happens. That "
                "seems to take away the sense that it predicts the outcome.",
            ),
            (
                "supervisor",
                "Agreed. I also check who else has mentioned it: twice from two services can "
                "feel like pressure.",
            ),
        ],
    ),
    (
        "hope-boxes",
        "Keeping the box going after the baby leaves hospital",
        "supervisor",
        6,
        "Once the baby has left the ward, who makes sure the items for the baby travel with "
        "them and the mother keeps her half? In our area it falls between maternity and "
        "social care.",
        [
            (
                "practitioner",
                "We agreed a named person on the discharge plan. It is a small thing but it has "
                "stopped the box being left behind on the ward.",
            ),
        ],
    ),
    (
        "family-court-questions",
        "Writing a letter for court as a therapist",
        "practitioner",
        20,
        "I have been asked for a letter about a woman's engagement with therapy. I want it to "
        "be accurate and fair, and I do not want to stray into giving an opinion I am not "
        "qualified to give. What has helped others?",
        [
            (
                "facilitator",
                "Stick to what you have observed and what the work has involved, and say what "
                "you were not asked to assess. Talk to your safeguarding lead before it goes. "
                "Sharing a draft with the woman, where that is safe, has helped trust a lot.",
            ),
        ],
    ),
    (
        "family-court-questions",
        "Explaining court timescales without false reassurance",
        "supervisor",
        9,
        "Women often ask me how long it will all take. I want to be honest without making "
        "promises. How do you explain the timescales?",
        [],
    ),
    (
        "after-separation",
        "The first week after a separation",
        "practitioner",
        15,
        "What do others offer in the first week after a baby is separated at birth? That is "
        "when we see the most distress and the fewest services in touch.",
        [
            (
                "supervisor",
                "We offer a call within two days of discharge and a visit in the first week, "
                "agreed before the birth where we can. Practical help first: transport to "
                "contact, food, a phone that works.",
            ),
            (
                "facilitator",
                "Our women's centre keeps a small peer group going. Hearing from another mother "
                "who has been through it seems to reach what we cannot.",
            ),
        ],
    ),
    (
        "looking-after-yourself",
        "When a separation stays with you",
        "supervisor",
        4,
        "After a hard week on the ward I found one separation stayed with me for days. How do "
        "others look after themselves, and how do you raise it in supervision without feeling "
        "you are not coping?",
        [
            (
                "facilitator",
                "Naming it in supervision as part of the work, not a failing, has helped me. "
                "Our quarterly reflective group is also somewhere to put it down.",
            ),
        ],
    ),
]

# More threads, so every space shows a conversation going on (each space has at least three).
THREADS += [
    (
        "hope-boxes",
        "What goes in the box for the baby?",
        "facilitator",
        40,
        "We are reviewing the list of items we suggest. What do mothers in your area most "
        "often choose to put in for the baby, and what do they keep for themselves?",
        [
            (
                "practitioner",
                "Matching items come up most often here: two soft toys or two blankets, one "
                "for the baby and one for the mother. Handprints and footprints too, where "
                "the ward can do them.",
            ),
            (
                "supervisor",
                "A letter from the mother to the baby, written when she is ready. We keep a "
                "card and an envelope in the box so it is there if she wants it.",
            ),
        ],
    ),
    (
        "hope-boxes",
        "Talking about the box with a partner or family",
        "practitioner",
        8,
        "Some mothers want their partner or their own mother involved in preparing the box, "
        "others do not. How do you ask without making assumptions?",
        [
            (
                "facilitator",
                "I ask the mother on her own first who, if anyone, she would like to be part "
                "of it, and come back to it later, because the answer often changes.",
            ),
        ],
    ),
    (
        "family-court-questions",
        "What happens at a pre-birth assessment meeting?",
        "supervisor",
        33,
        "Newer colleagues ask what to expect at a pre-birth assessment meeting and what their "
        "role is there. What do you tell them?",
        # The facilitator's reply is marked as the answer (see ANSWERED).
        [
            (
                "facilitator",
                "That their role is to speak to what they know from their own work with the "
                "woman, to check she has had the plan explained in a way she understands, "
                "and to make sure she knows she can bring someone with her.",
            ),
            (
                "practitioner",
                "It helped me to meet the woman before the meeting to ask what she wanted me "
                "to say, and what she did not.",
            ),
        ],
    ),
    (
        "after-separation",
        "Supporting contact in the first weeks",
        "supervisor",
        28,
        "Contact after a separation can be very hard for a mother. What has helped the women "
        "you support to get to contact and cope afterwards?",
        [
            (
                "practitioner",
                "Travelling with her the first time, and a cup of tea together afterwards "
                "rather than leaving straight away. The hour after contact is when she most "
                "needs someone.",
            ),
            (
                "facilitator",
                "We ask the contact centre for the same room each time where we can. Small "
                "things that stay the same seem to help.",
            ),
        ],
    ),
    (
        "after-separation",
        "Grief that is not recognised",
        "facilitator",
        10,
        "Mothers often tell us people do not know what to say to them, because their baby is "
        "alive. How do you name this kind of grief with them?",
        [
            (
                "supervisor",
                "I use her own words for it. Some women call it a loss, some do not, and "
                "following her lead matters more than finding the right term.",
            ),
        ],
    ),
    (
        "looking-after-yourself",
        "Peer support between supervision sessions",
        "facilitator",
        25,
        "Supervision is not always there when we need it. What peer support have teams set up "
        "for the days in between?",
        [
            (
                "supervisor",
                "A short check-in at the end of a shift with whoever is on, just to say how "
                "the day went. It is informal, but people use it.",
            ),
        ],
    ),
    (
        "looking-after-yourself",
        "Saying no to one more case",
        "supervisor",
        2,
        "How do you recognise when you are at capacity, and how do you say so to your manager?",
        [
            (
                "facilitator",
                "I bring my caseload to supervision with the ones that weigh most marked, so "
                "the conversation is about the work rather than whether I am coping.",
            ),
        ],
    ),
]

# A reply a member has reported, waiting in the facilitator's moderation queue (one report is
# below the space's threshold, so it stays up until a facilitator dismisses the report or hides
# it): space slug, thread title, author, reply, reporter, reason, what the reporter said.
FLAGGED = (
    "hope-boxes",
    "Keeping the box going after the baby leaves hospital",
    "supervisor",
    "Slightly off the subject: does anyone know whether the regional training day in the "
    "spring is going ahead? I cannot find the details anywhere.",
    "practitioner",
    FlagReason.OFF_TOPIC,
    "A good question, but not about the box. Could it have a thread of its own?",
)

PENDING = (
    "after-separation",
    "The first week after a separation",
    "orgadmin",
    "As a team lead I am trying to understand what staff need after a separation. Would a short "
    "debrief the next day help, or is it too soon?",
)


# A thread in a question-and-answer space whose answer is marked, the reply that is the answer
# (by its author) and a member it helped.
ANSWERED = (
    "family-court-questions",
    "What happens at a pre-birth assessment meeting?",
    "facilitator",
    "practitioner",
)


def _user(local: str) -> User:
    return User.objects.get(email=f"{local}@{DOMAIN}")


def _member(space: Space, user: User, *, approved: int) -> None:
    SpaceMember.objects.get_or_create(
        space=space,
        user=user,
        defaults={
            "status": MemberStatus.ACTIVE,
            "joined_at": timezone.now() - timedelta(days=60),
            "approved_posts": approved,
        },
    )
    space_services.guidelines_accept(user=user, space=space)


def _backdate(thread: Thread, days: int) -> None:
    when = timezone.now() - timedelta(days=days)
    Thread.objects.filter(pk=thread.pk).update(created_at=when, last_post_at=when)
    Post.objects.filter(thread=thread, is_opening=True).update(created_at=when)


@transaction.atomic
def seed_demo_community(stdout=None) -> None:
    facilitator = _user("facilitator")
    spaces: dict[str, Space] = {}
    for data in SPACES:
        fields = {k: v for k, v in data.items() if k not in ("slug", "members")}
        space, _created = Space.objects.update_or_create(
            slug=data["slug"],
            defaults={
                **fields,
                "guidelines": GUIDELINES,
                "premoderation": PreModeration.FIRST_POSTS,
                "premoderation_posts": 1,
                "flag_threshold": 3,
            },
        )
        space.facilitators.add(facilitator)
        _member(space, facilitator, approved=10)
        for local in data["members"]:
            _member(space, _user(local), approved=0 if local == "orgadmin" else 10)
        spaces[space.slug] = space
    for slug, title, author, days, body, replies in THREADS:
        space = spaces[slug]
        thread = Thread.objects.filter(space=space, title=title).first()
        if thread is None:
            thread = thread_services.thread_create(
                author=_user(author), space=space, title=title, body=body
            )
            _backdate(thread, days)
        for i, (reply_author, text) in enumerate(replies):
            if Post.objects.filter(
                thread=thread, body_html=text_to_html(text, profile="post")
            ).exists():
                continue
            post = thread_services.reply_create(
                author=_user(reply_author), thread=thread, body=text
            )
            when = timezone.now() - timedelta(days=days) + timedelta(hours=3 * (i + 1))
            Post.objects.filter(pk=post.pk).update(created_at=when)
            Thread.objects.filter(pk=thread.pk).update(last_post_at=when)
    _seed_flagged(spaces)
    slug, title, author, text = PENDING
    thread = Thread.objects.get(space=spaces[slug], title=title)
    if not Post.objects.filter(
        thread=thread, body_html=text_to_html(text, profile="post")
    ).exists():
        thread_services.reply_create(author=_user(author), thread=thread, body=text)
    # The new member's post waits; keep their count at zero so it stays the only one.
    SpaceMember.objects.filter(space=spaces[slug], user=_user(author)).update(approved_posts=0)
    _seed_answer(spaces)
    _seed_sessions(spaces["hope-boxes"], facilitator)


def _seed_answer(spaces: dict[str, Space]) -> None:
    """The answer marked by the person who asked, and a member it helped (both idempotent)."""
    slug, title, answer_author, helped_by = ANSWERED
    thread = Thread.objects.get(space=spaces[slug], title=title)
    answer = (
        Post.objects.filter(thread=thread, is_opening=False, author=_user(answer_author))
        .order_by("created_at")
        .first()
    )
    if answer is None:
        return
    if not answer.is_accepted:
        answer_services.answer_set(actor=thread.author, thread=thread, post=answer)
    answer_services.helped_set(user=_user(helped_by), post=answer, helped=True)


def _seed_flagged(spaces: dict[str, Space]) -> None:
    slug, title, author, text, reporter, reason, detail = FLAGGED
    thread = Thread.objects.get(space=spaces[slug], title=title)
    post = Post.objects.filter(thread=thread, body_html=text_to_html(text, profile="post")).first()
    if post is None:
        post = thread_services.reply_create(author=_user(author), thread=thread, body=text)
    if not Flag.objects.filter(post=post).exists():
        thread_services.flag_create(
            reporter=_user(reporter), post=post, reason=reason, detail=detail
        )


def _seed_sessions(space: Space, facilitator: User) -> None:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    past, _ = ReflectiveSession.objects.get_or_create(
        space=space,
        title="HOPE Box reflective group (autumn)",
        defaults={
            "starts_at": now - timedelta(days=35),
            "duration_minutes": 90,
            "joining_details": "Video call: the link is in the calendar invitation.",
            "capacity": 12,
            "created_by": facilitator,
        },
    )
    for local in ("practitioner", "supervisor"):
        SessionSignup.objects.get_or_create(
            session=past, user=_user(local), defaults={"attended": True}
        )
    ReflectiveSession.objects.get_or_create(
        space=space,
        title="HOPE Box reflective group (winter)",
        defaults={
            "starts_at": now + timedelta(days=21),
            "duration_minutes": 90,
            "joining_details": "Video call: the link is in the calendar invitation.",
            "capacity": 12,
            "created_by": facilitator,
        },
    )
    # A small group that is full: one person has the place, another waits for it.
    small, _ = ReflectiveSession.objects.get_or_create(
        space=space,
        title="Small group: after a separation at birth",
        defaults={
            "starts_at": now + timedelta(days=10),
            "duration_minutes": 60,
            "joining_details": "Online: the meeting link is shown once you have a place.",
            "meeting_url": "https://meet.example.nhs.uk/hope-small-group",
            "capacity": 1,
            "created_by": facilitator,
        },
    )
    for local, status in (
        ("practitioner", SignupStatus.PLACE),
        ("supervisor", SignupStatus.WAITING),
    ):
        SessionSignup.objects.get_or_create(
            session=small, user=_user(local), defaults={"status": status}
        )
