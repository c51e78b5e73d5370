"""Reads for a thread's page that it makes on every visit, prepared once per process
(``learning.prepared``); the rules they follow are ``community.selectors``'s."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from community.models import Post, Space, Thread
from community.selectors import POST_ORDER, posts_visible_in, threads_visible_in
from learning.models import User
from learning.pagination import KeysetPage, PreparedKeyset
from learning.prepared import Slots

POSTS_PAGE_SIZE = 25
THREADS_PAGE_SIZE = 25


def _posts(slots: Slots, is_facilitator: bool) -> QuerySet[Post]:
    return posts_visible_in(
        Thread(pk=slots.thread_id), User(pk=slots.user_id), is_facilitator=is_facilitator
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
    return threads_visible_in(
        Space(pk=slots.space_id), User(pk=slots.user_id), is_facilitator=is_facilitator
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
    recently active first, after ``cursor``: one query."""
    return _THREADS.page(cursor=cursor, shape=(is_facilitator,), space_id=space.pk, user_id=user.pk)
