"""Reads for the community. Every detail view fetches through a scoped selector here, so
"not allowed" and "does not exist" are the same 404.

Visibility rules:
- Open spaces can be read by anyone signed in; other spaces only by their members and
  facilitators. Invitation-only spaces are not even listed to others.
- A post awaiting review, rejected or hidden is seen only by its author and the space's
  facilitators; everyone else sees published posts only (in lists, counts and notifications).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from community.models import (
    MembershipPolicy,
    MemberStatus,
    Post,
    PostHelped,
    PostStatus,
    Space,
    SpaceMember,
    Thread,
    ThreadVisit,
)
from learning.models import Membership, Role, User
from learning.permissions import Person, can_read_space, is_signed_in, roles_for
from learning.prepared import PreparedQuery, Slots

# --- Spaces ---------------------------------------------------------------------------------


def spaces_listed_for(user: Person) -> QuerySet[Space]:
    """Spaces shown on the community page: readable ones, those that take requests, and
    invitation-only spaces the person is invited to."""
    if not is_signed_in(user):
        return Space.objects.none()
    mine = SpaceMember.objects.filter(user_id=user.pk).values("space_id")
    return (
        Space.objects.filter(
            Q(membership_policy__in=[MembershipPolicy.OPEN, MembershipPolicy.REQUEST])
            | Q(pk__in=mine)
            | Q(facilitators__pk=user.pk)
        )
        .distinct()
        .annotate(
            my_status=Subquery(
                SpaceMember.objects.filter(space=OuterRef("pk"), user_id=user.pk).values("status")[
                    :1
                ]
            ),
            i_facilitate=Exists(
                Space.facilitators.through.objects.filter(space_id=OuterRef("pk"), user_id=user.pk)
            ),
        )
        .order_by("name", "pk")
    )


def spaces_readable_by(user: Person) -> QuerySet[Space]:
    """Spaces ``user`` may read: open ones, those they are an active member of, and those they
    facilitate. The person's data download reads through this; a space page reads its space
    through ``space_for_reader``, which asks the rulebook the same question."""
    if not is_signed_in(user):
        return Space.objects.none()
    active = SpaceMember.objects.filter(user_id=user.pk, status=MemberStatus.ACTIVE)
    return Space.objects.filter(
        Q(membership_policy=MembershipPolicy.OPEN)
        | Q(pk__in=active.values("space_id"))
        | Q(facilitators__pk=user.pk)
    ).distinct()


# The person's membership row, read beside the space as plain columns of a filtered join.
_MEMBER_COLUMNS = (
    "id",
    "status",
    "created_at",
    "joined_at",
    "guidelines_accepted_at",
    "approved_posts",
    "suspended_until",
)


def _space_query(slots: Slots) -> QuerySet[Space]:
    return (
        Space.objects.filter(slug=slots.slug)
        .annotate(mine=FilteredRelation("members", condition=Q(members__user_id=slots.user_id)))
        .annotate(
            **{f"member_{column}": F(f"mine__{column}") for column in _MEMBER_COLUMNS},
            i_facilitate=Exists(
                Space.facilitators.through.objects.filter(
                    space_id=OuterRef("pk"), user_id=slots.user_id
                )
            ),
        )
        .order_by()[:1]
    )


_SPACE_FOR_READER = PreparedQuery(
    "community.space_for_reader", _space_query, slots={"slug": str, "user_id": int}
)


def space_for_reader(user: User, slug: str) -> tuple[Space, SpaceMember | None] | None:
    """The space with ``slug`` and the person's membership of it (``None`` if they have none),
    if they may read it (open, an active member, or a facilitator), else ``None``: a closed
    space and a missing one look the same. One query, which also answers whether they
    facilitate it (``Space.facilitated_by``)."""
    if not is_signed_in(user):
        return None
    space = _SPACE_FOR_READER.first(slug=slug, user_id=user.pk)
    if space is None:
        return None
    space.remember_facilitator(user.pk, bool(space.i_facilitate))
    member = None
    if space.member_id is not None:
        member = SpaceMember(
            space=space,
            user_id=user.pk,
            **{column: getattr(space, f"member_{column}") for column in _MEMBER_COLUMNS},
        )
        member._state.adding = False
        member._state.db = space._state.db
    # The rulebook's answer, from what this query read (no query of its own).
    return (space, member) if can_read_space(user, space, member) else None


def facilitates_any_space(user_id: int) -> bool:
    """Whether the person facilitates at least one space (one query; the rulebook caches it)."""
    return Space.facilitators.through.objects.filter(user_id=user_id).exists()


def spaces_belonged_to(user: Person) -> QuerySet[Space]:
    """Spaces the person is an active member of or facilitates (open spaces they have not
    joined are left out): what search looks through."""
    if not is_signed_in(user):
        return Space.objects.none()
    active = SpaceMember.objects.filter(user_id=user.pk, status=MemberStatus.ACTIVE)
    return Space.objects.filter(
        Q(pk__in=active.values("space_id")) | Q(facilitators__pk=user.pk)
    ).distinct()


def spaces_facilitated_by(user: Person) -> QuerySet[Space]:
    if not is_signed_in(user):
        return Space.objects.none()
    return Space.objects.filter(facilitators__pk=user.pk)


def membership_of(user: Person, space: Space) -> SpaceMember | None:
    if not is_signed_in(user):
        return None
    return SpaceMember.objects.filter(space=space, user_id=user.pk).first()


def space_members(space: Space) -> QuerySet[SpaceMember]:
    return (
        SpaceMember.objects.filter(space=space).select_related("user").order_by("created_at", "pk")
    )


# --- Threads and posts ----------------------------------------------------------------------


def published(prefix: str = "") -> Q:
    """Published: what everyone in a space sees of a post or a thread (a thread's status is its
    opening post's). The only definition: the space's lists, the thread page, search and the
    saved threads all filter with it."""
    return Q(**{f"{prefix}status": PostStatus.PUBLISHED})


def published_threads_in(spaces: QuerySet[Space]) -> QuerySet[Thread]:
    """Published threads of ``spaces`` (a scoped set of spaces from a selector above), whoever
    is looking: never one awaiting review, hidden or not published."""
    return Thread.objects.filter(published(), space__in=spaces)


def published_posts_in(spaces: QuerySet[Space]) -> QuerySet[Post]:
    """Published posts in the published threads of ``spaces``: what search may find."""
    return Post.objects.filter(published(), published("thread__"), thread__space__in=spaces)


def threads_visible_in(space: Space, user: User, *, is_facilitator: bool) -> QuerySet[Thread]:
    """Threads of a readable space the person may see, with whether they are new to them and
    whether a published reply is marked as the answer (``answered``), in the same query."""
    qs = Thread.objects.filter(space=space)
    if not is_facilitator:
        qs = qs.filter(published() | Q(author_id=user.pk))
    else:
        qs = qs.exclude(status=PostStatus.REJECTED)
    return qs.annotate(
        seen_at=Subquery(
            ThreadVisit.objects.filter(thread=OuterRef("pk"), user_id=user.pk).values("seen_at")[:1]
        ),
        answered=Exists(
            Post.objects.filter(
                thread=OuterRef("pk"), is_accepted=True, status=PostStatus.PUBLISHED
            )
        ),
    ).select_related("author")


# What a thread's pages read of the people on them: their names (``str(user)``). The rest of
# each person's row (their password's hash, their registration and revalidation details) is
# left in the database, and each row is cheaper to read and to build.
PERSON_SHOWN = ("id", "display_name", "email")


# A thread's posts are read oldest first; a link to a post opens the page that starts with it.
POST_ORDER = ("created_at", "pk")


def posts_visible_in(thread: Thread, user: User, *, is_facilitator: bool) -> QuerySet[Post]:
    """The thread's posts the person may see, each with ``helped_count`` (how many people it
    helped) and ``helped_by_me``, worked out in the same query as the posts."""
    qs = Post.objects.filter(thread=thread)
    if is_facilitator:
        qs = qs.exclude(Q(status=PostStatus.REJECTED) & ~Q(author_id=user.pk))
    else:
        qs = qs.filter(published() | Q(author_id=user.pk))
    marks = PostHelped.objects.filter(post=OuterRef("pk"))
    return qs.select_related("author", "quote", "quote__author").annotate(
        helped_count=Coalesce(
            Subquery(
                marks.order_by().values("post").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        ),
        helped_by_me=Exists(marks.filter(user_id=user.pk)),
    )


def helped_count_of(post: Post) -> int:
    return PostHelped.objects.filter(post=post).count()


def post_in_space(user: User, space: Space, post_id: int, *, is_facilitator: bool) -> Post | None:
    qs = Post.objects.filter(thread__space=space, pk=post_id).select_related("thread", "author")
    if not is_facilitator:
        qs = qs.filter(published() | Q(author_id=user.pk)).filter(
            published("thread__") | Q(thread__author_id=user.pk)
        )
    return qs.first()


def last_post_in_slow_thread(user: Person, thread: Thread) -> datetime | None:
    """When ``user`` last posted in ``thread``, which slow mode needs; ``None`` without a query
    when the thread is not in slow mode."""
    if not thread.slow_mode_minutes or not is_signed_in(user):
        return None
    return (
        Post.objects.filter(thread_id=thread.pk, author_id=user.pk)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def posts_by_author(user: Person) -> QuerySet[Post]:
    """The person's own posts, with what happened to them."""
    if not is_signed_in(user):
        return Post.objects.none()
    return Post.objects.filter(author_id=user.pk).select_related("thread__space")


# --- Moderation -----------------------------------------------------------------------------


def spaces_appointable_by(user: Person) -> QuerySet[Space]:
    """The spaces whose facilitators the person appoints: every space for the national
    coordinator; for an organisation admin, the spaces of the organisations they run."""
    if not is_signed_in(user):
        return Space.objects.none()
    roles = roles_for(user)
    if roles.is_coordinator:
        return Space.objects.all()
    organisations = [o.pk for o in roles.organisations_with_role(Role.ORG_ADMIN)]
    return Space.objects.filter(organisation_id__in=organisations)


def facilitator_candidates(space: Space, *, actor: User) -> QuerySet[User]:
    """Who may be made a facilitator of ``space``: the active members of its organisation who
    are not facilitators already, never the person choosing."""
    if space.organisation_id is None:
        return User.objects.none()
    return (
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.active()
            .filter(organisation_id=space.organisation_id)
            .values("user_id"),
        )
        .exclude(pk=actor.pk)
        .exclude(pk__in=space.facilitators.values("pk"))
        .order_by("display_name", "email", "pk")
    )
