"""Reads for a thread's page that it makes on every visit, prepared once per process
(``learning.prepared``); the rules they follow are ``community.selectors``'s."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db.models import Exists, F, JSONField, OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from community.models import Post, PostStatus, SavedThread, Space, Thread, ThreadFollow
from community.selectors import PERSON_SHOWN, POST_ORDER, posts_visible_in, threads_visible_in
from learning.models import User
from learning.pagination import KeysetPage, PreparedKeyset
from learning.permissions import is_signed_in
from learning.prepared import PreparedQuery, Slots

POSTS_PAGE_SIZE = 25
THREADS_PAGE_SIZE = 25


# What a reply's row carries of its author and of the post it quotes, as plain columns: a
# person built for each of 25 rows (and the quoted post and its author) cost more than reading
# the rows. ``posts_page`` makes the names and the quoted post from them.
_ROW_COLUMNS = {
    "author_display_name": "author__display_name",
    "author_email": "author__email",
    "quoted_status": "quote__status",
    "quoted_body_html": "quote__body_html",
    "quoted_anonymous": "quote__anonymous",
    "quoted_author_id": "quote__author_id",
    "quoted_author_display_name": "quote__author__display_name",
    "quoted_author_email": "quote__author__email",
}


# The answer's fields, read as one JSON object in one subquery of the thread's query (seven
# scalar subqueries cost the ORM seven compilations and the database seven probes).
_ANSWER_FIELDS = {
    "id": "pk",
    "body": "body_html",
    "created_at": "created_at",
    "anonymous": "anonymous",
    "author_id": "author_id",
    "author_name": "author__display_name",
    "author_email": "author__email",
}


def _thread_query(slots: Slots, is_facilitator: bool) -> QuerySet[Thread]:
    answer = Post.objects.filter(
        thread=OuterRef("pk"), is_accepted=True, status=PostStatus.PUBLISHED
    ).order_by()
    space, user = Space(pk=slots.space_id), User(pk=slots.user_id)
    return (
        threads_visible_in(space, user, is_facilitator=is_facilitator)
        .filter(pk=slots.thread_id)
        .annotate(
            saved=Exists(SavedThread.objects.filter(thread=OuterRef("pk"), user_id=user.pk)),
            following=Exists(ThreadFollow.objects.filter(thread=OuterRef("pk"), user_id=user.pk)),
            answer_row=Subquery(
                answer.values(row=JSONObject(**_ANSWER_FIELDS))[:1], output_field=JSONField()
            ),
        )
        .only(
            *(f.attname for f in Thread._meta.concrete_fields),
            *(f"author__{name}" for name in PERSON_SHOWN),
        )
        .order_by()[:1]
    )


# Built and compiled once per process and shape (learning/prepared.py): building this query
# cost the ORM about eighteen times what the database spends answering it.
_THREAD = PreparedQuery(
    "community.thread_for",
    _thread_query,
    slots={"space_id": int, "user_id": int, "thread_id": int},
)


def thread_for(user: User, space: Space, thread_id: int, *, is_facilitator: bool) -> Thread | None:
    """The thread if the person may see it, with ``saved`` and ``following`` (whether they
    saved it and follow it) and its published answer's text and author read in the same query
    (see ``answer_of``)."""
    if not is_signed_in(user):
        return None
    return _THREAD.first(
        shape=(is_facilitator,), space_id=space.pk, user_id=user.pk, thread_id=thread_id
    )


def _moment(value: Any) -> datetime | None:
    """A timestamp read back from JSON: ISO text with an offset (PostgreSQL) or the stored UTC
    text without one (SQLite)."""
    if isinstance(value, datetime):
        moment = value
    elif value:
        parsed = parse_datetime(str(value))
        if parsed is None:
            return None
        moment = parsed
    else:
        return None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def answer_of(thread: Thread) -> Post | None:
    """The published reply marked as the answer of a thread fetched by ``thread_for``, built
    from what that query read (no query of its own)."""
    row: dict[str, Any] = getattr(thread, "answer_row", None) or {}
    created_at = _moment(row.get("created_at"))
    if row.get("id") is None or created_at is None:
        return None
    post = Post(
        pk=int(row["id"]),
        thread_id=thread.pk,
        body_html=row.get("body") or "",
        created_at=created_at,
        anonymous=bool(row.get("anonymous")),
        author_id=int(row["author_id"]),
        status=PostStatus.PUBLISHED,
        is_accepted=True,
    )
    post.author = User(
        pk=int(row["author_id"]),
        display_name=row.get("author_name") or "",
        email=row.get("author_email") or "",
    )
    return post


def _posts(slots: Slots, is_facilitator: bool) -> QuerySet[Post]:
    return (
        posts_visible_in(
            Thread(pk=slots.thread_id), User(pk=slots.user_id), is_facilitator=is_facilitator
        )
        .select_related(None)
        .only(*(f.attname for f in Post._meta.concrete_fields))
        .annotate(**{name: F(path) for name, path in _ROW_COLUMNS.items()})
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
    after ``cursor``: one query. Each post has ``author_name`` (``str`` of its author) and, if
    it quotes a post that still exists, ``quote`` with its status, text and ``author_name``;
    its ``author`` is not read."""
    page = _POSTS.page(cursor=cursor, shape=(is_facilitator,), thread_id=thread.pk, user_id=user.pk)
    for post in page.items:
        post.author_name = User.name_shown(post.author_display_name, post.author_email)
        if post.quote_id is not None and post.quoted_status is not None:
            # Any: ``author_name`` is this page's own attribute, not a field of the model.
            quoted: Any = Post(
                pk=post.quote_id,
                thread_id=post.thread_id,
                status=post.quoted_status,
                body_html=post.quoted_body_html,
                anonymous=post.quoted_anonymous,
                author_id=post.quoted_author_id,
            )
            quoted.author_name = User.name_shown(
                post.quoted_author_display_name, post.quoted_author_email
            )
            post.quote = quoted
    return page


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
