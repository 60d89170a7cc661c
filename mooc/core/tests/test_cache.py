"""The Redis cache backend keeps one client per pool and still behaves as Django's."""

from __future__ import annotations

import os

import pytest

from mooc.core.cache import RedisCache

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs Redis (REDIS_URL)")


def test_one_client_per_pool_and_the_usual_operations() -> None:
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"cache-test-{os.getpid()}"})
    # `_cache` is RedisCache's client pool, private and absent from the stubs.
    pool = cache._cache  # type: ignore[attr-defined]
    client = pool.get_client(write=True)
    assert pool.get_client(write=True) is client
    assert pool.get_client(write=False) is pool.get_client(write=False)

    cache.set("answer", {"position": 3}, timeout=30)
    assert cache.get("answer") == {"position": 3}
    assert cache.add("answer", "other") is False
    cache.delete("counter")
    assert cache.add("counter", 0) is True
    assert cache.incr("counter") == 1
    cache.delete("answer")
    assert cache.get("answer") is None
    cache.delete("counter")
