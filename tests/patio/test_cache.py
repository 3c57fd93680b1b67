"""The Redis cache backend (patio.cache): Django's, with one client object per pool."""

from __future__ import annotations

from django.core.cache import cache, caches

from patio.cache import RedisCache


def test_the_site_caches_in_redis_through_one_reused_client():
    assert isinstance(caches["default"], RedisCache)
    backend = caches["default"]._cache
    assert backend.get_client() is backend.get_client()
    assert backend.get_client(write=True) is backend.get_client()  # one server: one pool


def test_values_round_trip_one_by_one_and_many_at_once():
    cache.set("patio-cache-test:one", {"a": 1}, 30)
    cache.set_many({"patio-cache-test:two": [2], "patio-cache-test:three": "3"}, 30)
    assert cache.get("patio-cache-test:one") == {"a": 1}
    assert cache.get_many(
        ["patio-cache-test:two", "patio-cache-test:three", "patio-cache-test:none"]
    ) == {"patio-cache-test:two": [2], "patio-cache-test:three": "3"}
    cache.delete_many(["patio-cache-test:one", "patio-cache-test:two", "patio-cache-test:three"])
    assert cache.get("patio-cache-test:one") is None
