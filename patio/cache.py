"""Django's Redis cache, with one client object per connection pool instead of one per call.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` around the shared pool for
every cache operation, and building one copies its table of response callbacks: a directory
page makes a handful of cache calls, and those copies were a tenth of its time. A `redis.Redis`
is safe to share between threads (each command borrows a connection from the pool), so each
pool keeps one.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends import redis as django_redis


class _ReusedClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's private helpers (django/core/cache/backends/redis.py), which the stubs omit.
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            client = self._clients[index] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _ReusedClient
