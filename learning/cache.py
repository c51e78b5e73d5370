"""Redis cache that keeps pages serving while Redis is down.

Caching is an optimisation: if Redis cannot be reached, reads miss and writes are skipped (with
a warning in the log), so public pages and anything else that does not need Redis keep working.
The one thing that must not fail open is rate limiting, which guards sign-in: while Redis is
unreachable, ``learning.middleware.AuthNeedsCacheMiddleware`` refuses sign-in, sign-up and
password resets with a clear message instead (``cache_available``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.signals import setting_changed
from django.db import transaction
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
_last_warning = 0.0
T = TypeVar("T")


def _warn(exc: BaseException) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 30:  # one line per half minute, not one per request
        _last_warning = now
        logger.warning("Redis cache unavailable (%s); serving without it.", type(exc).__name__)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client with one ``redis.Redis`` per connection pool, kept for the process.

    Django makes a new ``redis.Redis`` for every cache call; redis-py (8.x) fills a table of
    about 170 reply handlers each time it makes one, which cost about 0.3 ms of CPU a call, more
    than the call itself. A ``redis.Redis`` holds no connection of its own (it borrows one from
    the pool for each command) and may be shared between threads; the pool is Django's, made
    once per server, and redis-py gives a forked process new connections by itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            _warn(exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError as exc:
            _warn(exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError as exc:
            _warn(exc)
            return False

    def set(self, key, value, timeout=None, version=None):
        try:
            return super().set(key, value, timeout, version)
        except RedisError as exc:
            _warn(exc)

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError as exc:
            _warn(exc)
            return list(data)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError as exc:
            _warn(exc)
            return False

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except RedisError as exc:
            _warn(exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError as exc:
            _warn(exc)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except RedisError as exc:
            _warn(exc)

    def ping(self) -> bool:
        return bool(self._cache.get_client(write=True).ping())


def cache_available(alias: str = "default") -> bool:
    """Whether the cache answers now (always true for caches that are not Redis)."""
    cache = caches[alias]
    if not isinstance(cache, ResilientRedisCache):
        return True
    try:
        return cache.ping()
    except RedisError:
        return False


def forget_now_and_at_commit(keys: list[str]) -> None:
    """Delete cached values now and again once the transaction commits, so a request that read
    the old rows before the change committed cannot leave them behind."""
    if not keys:
        return
    cache = caches["default"]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


# --- values worked out once per process ----------------------------------------------------------
# What is the same for everyone with the same key (the header's links for a set of roles in a
# language, the footer's markup) is kept in the process, not in Redis: reading it costs a dict
# lookup, not a round trip. Each namespace holds at most LOCAL_MEMO_SIZE entries (emptied when
# full), and every namespace is emptied when a test changes a setting. A key must say
# everything the value depends on, including a version to change when the code that makes
# the value changes.

LOCAL_MEMO_SIZE = 512
_local: dict[str, dict] = {}


def local_memo(namespace: str, key, compute: Callable[[], T], *, size: int = LOCAL_MEMO_SIZE) -> T:
    """The value kept for ``key`` in ``namespace``, else ``compute()``, kept for next time (at
    most ``size`` values a namespace: a full namespace starts afresh)."""
    store = _local.setdefault(namespace, {})
    try:
        return store[key]
    except KeyError:
        pass
    value = compute()
    if len(store) >= size:
        store.clear()
    store[key] = value
    return value


def local_memo_clear(**_kwargs) -> None:
    _local.clear()


setting_changed.connect(local_memo_clear, dispatch_uid="hope_local_memo_clear")
