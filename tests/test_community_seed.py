"""The demo community: idempotent, one post waiting, one reported post, the practitioner can
join one space, one attended reflective session for the supervision log, and an answered
question."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import Flag, Post, PostHelped, PostStatus, Space, SpaceMember, Thread
from community.seed import seed_demo_community
from community.sessions.selectors import reflective_sessions_attended_by
from learning.demo import demo_email, seed_people
from learning.identifiers import find_identifiers
from learning.models import User

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_ready_for_the_demo():
    seed_people()
    seed_demo_community()
    counts = (Space.objects.count(), Thread.objects.count(), Post.objects.count())
    seed_demo_community()
    assert (Space.objects.count(), Thread.objects.count(), Post.objects.count()) == counts
    assert counts[0] == 4
    # Several threads in every space, most with replies, some of them a month old.
    for space in Space.objects.all():
        threads = Thread.objects.filter(space=space)
        assert threads.count() >= 3, space.slug
        assert threads.filter(reply_count__gt=0).count() >= 2, space.slug
    month_ago = timezone.now() - timedelta(days=25)
    assert Post.objects.filter(is_opening=False, created_at__lt=month_ago).exists()
    pending = Post.objects.filter(status=PostStatus.PENDING)
    assert pending.count() == 1
    assert pending.get().author.email == demo_email("orgadmin")
    assert Post.objects.exclude(status__in=[PostStatus.PENDING, PostStatus.PUBLISHED]).count() == 0
    practitioner = User.objects.get(email=demo_email("practitioner"))
    facilitator = User.objects.get(email=demo_email("facilitator"))
    assert not SpaceMember.objects.filter(
        space__slug="looking-after-yourself", user=practitioner
    ).exists()
    spaces = Space.objects.prefetch_related("facilitators")
    assert all(facilitator.pk in s.facilitator_ids() for s in spaces)
    assert len(reflective_sessions_attended_by(practitioner)) == 1
    flag = Flag.objects.get()  # one report, waiting for a facilitator; not repeated
    assert flag.resolved_at is None
    assert flag.reporter == practitioner
    assert flag.post.status == PostStatus.PUBLISHED
    assert flag.post.open_flags == 1
    for post in Post.objects.all():
        assert find_identifiers(post.body_html) == []
    # A question-and-answer space with a marked answer that helped a member.
    answer = Post.objects.get(is_accepted=True)
    assert answer.thread.space.questions_and_answers
    assert answer.author == facilitator
    assert PostHelped.objects.filter(post=answer, user=practitioner).exists()
