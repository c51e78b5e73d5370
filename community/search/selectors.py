"""Search over the community posts a person may find: published posts in published threads of
the spaces they belong to (``community.selectors.published_posts_in`` over
``spaces_belonged_to``), never a post awaiting review, hidden or not published, and never
another space's. A thread's title is searched too, through its opening post: a search that
matches the title finds the opening post, and a match there counts for more than one in a post.

On PostgreSQL the words are matched with full-text search (``websearch_to_tsquery``, which
accepts any text without a syntax error), ranked, and shown with highlighted snippets
(``ts_headline``). On SQLite, used in development and most tests, each word is matched with
``icontains`` and the snippet is cut in Python. Either way the snippet is made safe the same way
(``snippet_html``): tags removed, the text escaped, and only then the highlight added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from community.models import Post, Space, Thread
from community.selectors import published_posts_in, spaces_belonged_to
from learning.permissions import Person, is_signed_in
from learning.sanitise import sanitise_text

MAX_LENGTH = 200  # characters of search text
MAX_WORDS = 8  # words matched on SQLite
SNIPPET_CHARACTERS = 240
CONFIG = "english"
# Highlight markers: characters from Unicode's private use area, never shown, put around each
# match before the text is escaped and replaced by <mark> after.
START, STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Search:
    """The matching posts (not yet paged) and the order to page them by."""

    posts: QuerySet[Post]
    order: tuple[str, ...]


def spaces_to_search(user: Person) -> QuerySet[Space]:
    """The spaces the person may search, by name (the space filter's choices)."""
    return spaces_belonged_to(user).order_by("name", "pk")


def words_of(text: str) -> list[str]:
    """The words of the search text, without quotes or other punctuation, at most MAX_WORDS."""
    return _WORD.findall(text[:MAX_LENGTH])[:MAX_WORDS]


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def search_posts(
    user: Person, *, text: str, space: Space | None = None, author_id: int | None = None
) -> Search:
    """Posts the person may find that match ``text``, in ``space`` (one of
    ``spaces_to_search``) and by ``author_id`` if given. A post written without a name is never
    found by its author, except by its author themselves."""
    if not is_signed_in(user):
        return Search(posts=Post.objects.none(), order=("-created_at", "-pk"))
    posts = published_posts_in(spaces_belonged_to(user))
    if space is not None:
        posts = posts.filter(thread__space=space)
    if author_id is not None:
        posts = posts.filter(author_id=author_id).filter(Q(anonymous=False) | Q(author_id=user.pk))
    posts = posts.select_related("thread__space", "author")
    if uses_full_text():
        return _full_text(posts, text[:MAX_LENGTH])
    return _by_words(posts, words_of(text))


def _full_text(posts: QuerySet[Post], text: str) -> Search:
    vector = SearchVector("body_html", config=CONFIG)  # the expression the GIN index is on
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    # Threads whose title matches, through the title's own GIN index (migration 0015).
    titled = (
        Thread.objects.annotate(title_document=SearchVector("title", config=CONFIG))
        .filter(title_document=query)
        .values("pk")
    )
    # Ranked over the title (weight A, for the opening post only) and the words of the post
    # (weight B), so a match in the title counts for more.
    weighted = SearchVector(
        Case(When(is_opening=True, then=F("thread__title")), default=Value("")),
        config=CONFIG,
        weight="A",
    ) + SearchVector("body_html", config=CONFIG, weight="B")
    # ts_headline is given the text without tags, so a snippet never holds part of a tag.
    plain = Func(
        F("body_html"), Value("<[^>]*>"), Value(" "), Value("g"), function="regexp_replace"
    )
    matched = (
        posts.annotate(document=vector)
        .filter(Q(document=query) | Q(is_opening=True, thread_id__in=titled))
        .annotate(
            # A whole number, so the page cursor compares exactly (a float would not).
            rank=Cast(SearchRank(weighted, query) * 1_000_000, IntegerField()),
            headline=SearchHeadline(
                plain,
                query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
    )
    return Search(posts=matched, order=("-rank", "-created_at", "-pk"))


def _by_words(posts: QuerySet[Post], words: list[str]) -> Search:
    if not words:
        return Search(posts=posts.none(), order=("-created_at", "-pk"))
    # Every word in the post, or (for the opening post) every word in the thread's title: the
    # same as full-text search, where the whole search matches the post or the title.
    in_body = Q()
    in_title = Q(is_opening=True)
    for word in words:
        in_body &= Q(body_html__icontains=word)
        in_title &= Q(thread__title__icontains=word)
    posts = posts.filter(in_body | in_title)
    return Search(posts=posts, order=("-created_at", "-pk"))


def snippet_html(marked: str) -> SafeString:
    """A snippet fit for a template from text that may hold tags or entities (PostgreSQL's
    headline): they are removed first, then the text is escaped and highlighted."""
    return _with_marks(" ".join(sanitise_text(marked).split()))


def _with_marks(text: str) -> SafeString:
    """Plain text escaped, and only then each marked match wrapped in <mark>; markers left
    unpaired are dropped."""
    html = _MARKED.sub(r"<mark>\1</mark>", escape(text))
    return mark_safe(html.replace(START, "").replace(STOP, ""))  # noqa: S308  (escaped first)


def snippet_of(post: Post, words: list[str]) -> SafeString:
    """The highlighted snippet of a found post: PostgreSQL's headline, or on SQLite the text
    around the first match with every matched word marked."""
    headline = getattr(post, "headline", None)
    if headline is not None:
        return snippet_html(headline)
    text = " ".join(sanitise_text(post.body_html).replace(START, "").replace(STOP, "").split())
    lowered = text.casefold()
    first = min((i for i in (lowered.find(w.casefold()) for w in words) if i >= 0), default=0)
    start = max(0, first - SNIPPET_CHARACTERS // 3)
    window = text[start : start + SNIPPET_CHARACTERS]
    if words:
        pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
        window = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", window)
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + SNIPPET_CHARACTERS < len(text) else ""
    return _with_marks(f"{prefix}{window}{suffix}")
