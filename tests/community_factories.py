"""Factories for the community. Tests build their own data; they never use the demo seed."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from community.models import (
    MembershipPolicy,
    MemberStatus,
    PreModeration,
    ReflectiveSession,
    Space,
    SpaceMember,
)
from community.threads import services as thread_services

from .data_builders import DataFactory, builds_test_data
from .factories import UserFactory


class SpaceFactory(DataFactory):
    class Meta:
        model = Space
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test space {n}")
    slug = factory.Sequence(lambda n: f"test-space-{n}")
    description = "A space for testing."
    guidelines = "Be kind. Never identify anyone."
    membership_policy = MembershipPolicy.OPEN
    premoderation = PreModeration.NONE
    premoderation_posts = 2
    flag_threshold = 3

    @factory.post_generation
    def facilitators(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.facilitators.add(*extracted)


@builds_test_data
def member(space: Space, user=None, *, accepted: bool = True, **fields) -> SpaceMember:
    """An active member of ``space`` who has accepted its guidelines (unless told otherwise)."""
    user = user or UserFactory()
    now = timezone.now()
    return SpaceMember.objects.create(
        space=space,
        user=user,
        status=fields.pop("status", MemberStatus.ACTIVE),
        joined_at=now,
        guidelines_accepted_at=now if accepted else None,
        **fields,
    )


@builds_test_data
def facilitated_space(**kwargs) -> tuple[Space, object]:
    """A space and its facilitator (an accepted member too)."""
    facilitator = UserFactory()
    space = SpaceFactory(facilitators=[facilitator], **kwargs)
    member(space, facilitator)
    return space, facilitator


@builds_test_data
def thread(
    space: Space,
    author=None,
    *,
    title: str = "How do you prepare a HOPE Box?",
    body="A question.",
    **kw,
):
    author = author or member(space).user
    return thread_services.thread_create(author=author, space=space, title=title, body=body, **kw)


@builds_test_data
def reply(thread, author=None, *, body: str = "A reply.", **kw):
    author = author or member(thread.space).user
    return thread_services.reply_create(author=author, thread=thread, body=body, **kw)


@builds_test_data
def session(
    space: Space, *, starts_in_days: int = 7, capacity: int = 10, **kw
) -> ReflectiveSession:
    return ReflectiveSession.objects.create(
        space=space,
        title=kw.pop("title", "Quarterly HOPE Box reflective group"),
        starts_at=timezone.now() + timedelta(days=starts_in_days),
        duration_minutes=kw.pop("duration_minutes", 90),
        joining_details=kw.pop("joining_details", "Video link: https://meet.example.nhs.uk/hope"),
        capacity=capacity,
        **kw,
    )
