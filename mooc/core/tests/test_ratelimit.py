from __future__ import annotations

from mooc.core.ratelimit import ratelimit_hit, ratelimit_peek, ratelimit_reset


def test_it_allows_up_to_the_limit_then_refuses_with_a_retry_time() -> None:
    results = [ratelimit_hit("login", "budi|203.0.113.4", limit=3, window=60) for _ in range(4)]
    assert [r.allowed for r in results] == [True, True, True, False]
    assert results[-1].count == 4
    assert 0 < results[-1].retry_after <= 60


def test_keys_and_scopes_are_counted_apart() -> None:
    for _ in range(3):
        ratelimit_hit("login", "office-a", limit=2, window=60)
    assert ratelimit_hit("login", "office-b", limit=2, window=60).allowed
    assert ratelimit_hit("reset", "office-a", limit=2, window=60).allowed
    assert not ratelimit_peek("login", "office-a", limit=2, window=60).allowed


def test_reset_clears_the_counter() -> None:
    for _ in range(3):
        ratelimit_hit("login", "budi", limit=2, window=60)
    ratelimit_reset("login", "budi", window=60)
    state = ratelimit_peek("login", "budi", limit=2, window=60)
    assert state.allowed and state.count == 0
