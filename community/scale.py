"""Community spaces, members, threads and posts. Space 0 holds the bench thread with exactly
1,000 published replies; the rest of the posts are threads of ten across every space."""

from __future__ import annotations

import datetime

from community.models import Post, Space, SpaceMember, Thread
from learning.scale.copy import max_id
from learning.scale.plan import ORG0_MEMBERS, THREAD_REPLIES, Context

POSTS_PER_THREAD = 10
THREAD_COLUMNS = [
    "id",
    "space_id",
    "author_id",
    "title",
    "anonymous",
    "status",
    "locked",
    "slow_mode_minutes",
    "reply_count",
    "created_at",
    "last_post_at",
]
POST_COLUMNS = [
    "id",
    "thread_id",
    "author_id",
    "body_html",
    "is_opening",
    "anonymous",
    "quote_id",
    "status",
    "status_reason",
    "open_flags",
    "identifiers_confirmed",
    "created_at",
    "edited_at",
]
BODIES = (
    "<p>Has anyone found a good way to prepare for a pre-birth planning meeting?</p>",
    "<p>We agree with the woman beforehand what we will share. It helps a lot.</p>",
    "<p>Restorative supervision straight after a separation made a difference for me.</p>",
    "<p>Our team meets monthly for peer reflection, with a simple structure.</p>",
)
TITLES = (
    "Preparing for planning meetings",
    "After a separation",
    "Peer reflection groups",
    "Working with children's social care",
)
CHUNK = 100_000


def space_slug(s: int) -> str:
    return f"bench-space-{s:03d}"


def seed_community(ctx: Context) -> None:
    counts = ctx.counts
    ctx.progress.begin("community posts", counts.posts)
    rng = ctx.rng("community")
    writer = ctx.writer
    space_base = max_id(Space)
    created = ctx.ago(360)
    writer.write(
        Space,
        [
            "id",
            "name",
            "slug",
            "description",
            "guidelines",
            "membership_policy",
            "premoderation",
            "premoderation_posts",
            "flag_threshold",
            "created_at",
        ],
        (
            (
                space_base + 1 + s,
                f"Bench space {s:03d}",
                space_slug(s),
                "Peer support for staff doing this work.",
                "Be kind. Keep to your own experience; no details that could identify anyone.",
                "open",
                "none",
                0,
                3,
                created,
            )
            for s in range(counts.spaces)
        ),
    )
    # Members: organisation 0 in space 0, everyone else in one space by number.
    members: list[list[int]] = [[] for _ in range(counts.spaces)]
    for k in range(counts.users):
        members[0 if k < ORG0_MEMBERS else k % counts.spaces].append(k)
    for s in range(counts.spaces):
        if not members[s]:
            members[s].append(3)
    member_base = max_id(SpaceMember)
    writer.write(
        SpaceMember,
        [
            "id",
            "space_id",
            "user_id",
            "status",
            "created_at",
            "joined_at",
            "guidelines_accepted_at",
            "approved_posts",
        ],
        (
            (
                member_base + n,
                space_base + 1 + s,
                ctx.user_id(k),
                "active",
                created,
                created,
                created,
                5,
            )
            for n, (s, k) in enumerate(
                ((s, k) for s in range(counts.spaces) for k in members[s]), start=1
            )
        ),
    )
    # The facilitator persona facilitates space 0; each organisation's facilitator one more.
    through = Space.facilitators.through
    base = max_id(through)
    facilitators = [(space_base + 1, ctx.user_id(3))]
    writer.write(
        through,
        ["id", "space_id", "user_id"],
        ((base + n, s, u) for n, (s, u) in enumerate(facilitators, start=1)),
    )

    thread_id, post_id = max_id(Thread), max_id(Post)
    threads, posts = [], []

    def thread(s: int, replies: int, started: datetime.datetime) -> int:
        nonlocal thread_id, post_id
        thread_id += 1
        pool = members[s]
        last = started
        for n in range(replies + 1):
            post_id += 1
            last = started + datetime.timedelta(minutes=7 * n)
            posts.append(
                (
                    post_id,
                    thread_id,
                    ctx.user_id(pool[(post_id * 7 + n) % len(pool)]),
                    BODIES[post_id % len(BODIES)],
                    n == 0,
                    False,
                    None,
                    "published",
                    "",
                    0,
                    False,
                    last,
                    None,
                )
            )
        threads.append(
            (
                thread_id,
                space_base + 1 + s,
                ctx.user_id(pool[thread_id % len(pool)]),
                TITLES[thread_id % len(TITLES)],
                False,
                "published",
                False,
                0,
                replies,
                started,
                last,
            )
        )
        ctx.progress.advance(replies + 1)
        if len(posts) >= CHUNK:
            _flush(ctx, threads, posts)
        return thread_id

    bench_thread = thread(0, THREAD_REPLIES, ctx.ago(30))
    left = max(counts.posts - THREAD_REPLIES - 1, 0)
    n = 0
    while left > 0:
        size = min(POSTS_PER_THREAD, left)
        thread(n % counts.spaces, size - 1, ctx.ago(rng.uniform(1, 360)))
        left -= size
        n += 1
    _flush(ctx, threads, posts)
    ctx.bench["space"] = space_slug(0)
    ctx.bench["thread"] = bench_thread
    ctx.progress.end()


def _flush(ctx: Context, threads: list, posts: list) -> None:
    ctx.writer.write(Thread, THREAD_COLUMNS, threads)
    ctx.writer.write(Post, POST_COLUMNS, posts)
    threads.clear()
    posts.clear()


def _tables():
    return [SpaceMember, Thread, Post]


def register() -> None:
    """Community's scale step and benchmark pages, from ``CommunityConfig.ready()``."""
    from django.urls import reverse

    from learning.scale.registry import (
        register_scale_page,
        register_scale_step,
        register_scale_tables,
    )

    register_scale_tables("community", _tables)
    register_scale_step(
        "community.spaces", seed_community, order=70, bench_keys=("space", "thread")
    )
    register_scale_page(
        "space",
        lambda bench: reverse("community_space", args=[bench["space"]]),
        persona="practitioner",
        order=100,
    )
    register_scale_page(
        "thread",
        lambda bench: reverse("community_thread", args=[bench["space"], bench["thread"]]),
        persona="practitioner",
        order=110,
    )
