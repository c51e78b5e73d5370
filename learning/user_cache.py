"""The signed-in person's row, kept in the cache between requests.

Every signed-in request needs the person's row (Django's authentication middleware reads it to
check the session is theirs and that they may still sign in). Reading it from the database
cost about a millisecond of CPU a page; reading it from the cache costs a fraction of that.
It must never outlive a change: deactivating someone, changing their password or their
language takes effect on their very next request. So every write to the user table forgets the
copy: ``Model.save`` and ``delete`` through the receivers in ``learning/receivers.py``,
``QuerySet.update`` through ``learning.models.HopeUserQuerySet`` (a queryset's ``delete``
sends ``post_delete`` for each row, since there are receivers). The copy is
forgotten at the write and again when its transaction commits, so a request that read the old
row in between cannot put it back. The key carries the table's columns, so rows kept before a
migration are never read after it; a copy also expires after ``USER_CACHE_SECONDS``.

The other small values every signed-in page reads about the person (their roles, facts and
unread count; ``learning.permissions.person_cache_keys``) come in the same round trip as the
row and wait in the request's memo (``learning.request_memo``) until asked for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import cache as once
from typing import Any

from django.core.cache import cache

from learning import request_memo
from learning.cache import forget_now_and_at_commit

USER_CACHE_SECONDS = 300


@once
def _columns_digest() -> str:
    from learning.models import User

    columns = ",".join(field.attname for field in User._meta.concrete_fields)
    return hashlib.sha256(columns.encode()).hexdigest()[:10]


def user_key(pk: object) -> str:
    return f"hope:user:{_columns_digest()}:{pk}"


# Functions naming, for a person's id, more cache keys to read with their row.
_READ_WITH_USER: list[Callable[[Any], list[str]]] = []


def read_with_user(keys_for: Callable[[Any], list[str]]) -> None:
    if keys_for not in _READ_WITH_USER:
        _READ_WITH_USER.append(keys_for)


def kept_user(pk: object):
    """The kept copy of the person's row, or ``None``. Inside a request, the keys registered
    with ``read_with_user`` are read in the same round trip and kept for the request."""
    if request_memo.current() is None or not _READ_WITH_USER:
        return cache.get(user_key(pk))
    key = user_key(pk)
    extra = [name for keys_for in _READ_WITH_USER for name in keys_for(pk)]
    found = cache.get_many([key, *extra])
    request_memo.keep({name: found.get(name) for name in extra})
    return found.get(key)


def keep_user(user) -> None:
    """Keep a row just read from the database (nothing related read through it yet)."""
    cache.set(user_key(user.pk), user, USER_CACHE_SECONDS)


def forget_users(pks: Iterable[object]) -> None:
    forget_now_and_at_commit([user_key(pk) for pk in pks if pk is not None])
