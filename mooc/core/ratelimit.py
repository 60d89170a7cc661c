"""Fixed-window counters in the shared cache, so every worker agrees.

Used for per-account and per-IP limits (login, password recovery, resending
activation, public verification). Keys are hashed: they may hold e-mail
addresses or NIPs, which do not belong in cache key listings.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class RateLimit:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window resets


def _key(scope: str, key: str, window: int, now: float) -> tuple[str, int]:
    bucket = int(now // window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    retry_after = window - int(now % window)
    return f"rl:{scope}:{digest}:{window}:{bucket}", retry_after


def ratelimit_hit(scope: str, key: str, *, limit: int, window: int) -> RateLimit:
    """Count one event; `allowed` is False once more than `limit` happened in the window."""
    cache_key, retry_after = _key(scope, key, window, time.time())
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 1)
        count = 1
    return RateLimit(count <= limit, count, limit, retry_after)


def ratelimit_peek(scope: str, key: str, *, limit: int, window: int) -> RateLimit:
    """The state of a counter without counting."""
    cache_key, retry_after = _key(scope, key, window, time.time())
    count = int(cache.get(cache_key, 0))
    return RateLimit(count < limit, count, limit, retry_after)


def ratelimit_reset(scope: str, key: str, *, window: int) -> None:
    cache_key, _ = _key(scope, key, window, time.time())
    cache.delete(cache_key)
