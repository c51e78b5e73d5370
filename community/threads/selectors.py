"""Reads for a thread's page that it makes on every visit, prepared once per process
(``learning.prepared``); the rules they follow are ``community.selectors``'s."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from community.models import Post, Thread
from community.selectors import POST_ORDER, posts_visible_in
from learning.models import User
from learning.pagination import KeysetPage, PreparedKeyset
from learning.prepared import Slots

POSTS_PAGE_SIZE = 25


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
