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

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
_last_warning = 0.0


def _warn(exc: BaseException) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 30:  # one line per half minute, not one per request
        _last_warning = now
        logger.warning("Redis cache unavailable (%s); serving without it.", type(exc).__name__)


class ResilientRedisCache(RedisCache):
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
