"""Reads for a thread's page that it makes on every visit, prepared once per process
(``learning.prepared``); the rules they follow are ``community.selectors``'s."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from community.models import Post, Space, Thread
from community.selectors import PERSON_SHOWN, POST_ORDER, posts_visible_in, threads_visible_in
from learning.models import User
from learning.pagination import KeysetPage, PreparedKeyset
from learning.prepared import Slots

POSTS_PAGE_SIZE = 25
THREADS_PAGE_SIZE = 25


_QUOTED = ("id", "status", "body_html", "anonymous", "author_id")


def _posts(slots: Slots, is_facilitator: bool) -> QuerySet[Post]:
    return posts_visible_in(
        Thread(pk=slots.thread_id), User(pk=slots.user_id), is_facilitator=is_facilitator
    ).only(
        *(f.attname for f in Post._meta.concrete_fields),
        *(f"author__{name}" for name in PERSON_SHOWN),
        *(f"quote__{name}" for name in _QUOTED),
        *(f"quote__author__{name}" for name in PERSON_SHOWN),
    )


_POSTS = PreparedKeyset(
    "community.thread_posts",
    _posts,
    slots={"thread_id": int, "user_id": int},
    order=POST_ORDER,
    kinds=(datetime, int),
    size=POSTS_PAGE_SIZE,
)


def posts_page(
    thread: Thread, user: User, *, is_facilitator: bool, cursor: str | None
) -> KeysetPage:
    """A page of the thread's posts the person may see (``posts_visible_in``), oldest first,
    after ``cursor``: one query."""
    return _POSTS.page(cursor=cursor, shape=(is_facilitator,), thread_id=thread.pk, user_id=user.pk)


def _threads(slots: Slots, is_facilitator: bool) -> QuerySet[Thread]:
    return (
        threads_visible_in(
            Space(pk=slots.space_id), User(pk=slots.user_id), is_facilitator=is_facilitator
        )
        .select_related(None)
        .only(*(f.attname for f in Thread._meta.concrete_fields))
    )


_THREADS = PreparedKeyset(
    "community.space_threads",
    _threads,
    slots={"space_id": int, "user_id": int},
    order=("-last_post_at", "-pk"),
    kinds=(datetime, int),
    size=THREADS_PAGE_SIZE,
)


def threads_page(
    space: Space, user: User, *, is_facilitator: bool, cursor: str | None
) -> KeysetPage:
    """A page of the space's threads the person may see (``threads_visible_in``), the most
    recently active first, after ``cursor``: one query. The list shows no names, so it reads
    no one's row."""
    return _THREADS.page(cursor=cursor, shape=(is_facilitator,), space_id=space.pk, user_id=user.pk)
