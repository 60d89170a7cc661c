"""Admission control: turns per second in the shared cache, honest waits, tickets."""

from __future__ import annotations

import pytest

from mooc.core.admission import Admission, admission_take

NOW = 1_800_000_000.25


def take(subject: str, *, now: float = NOW, ticket: str = "", rate: int = 2) -> Admission:
    return admission_take("t", subject=subject, rate=rate, max_wait=10, ticket=ticket, now=now)


def test_rate_per_second_are_admitted_then_later_seconds_are_handed_out_in_order() -> None:
    got = [take(f"u{i}") for i in range(7)]

    assert [a.admitted for a in got] == [True, True, False, False, False, False, False]
    # Two turns a second: the 3rd and 4th wait for the next second, then the one after.
    assert [a.wait_seconds for a in got[2:]] == [1, 1, 2, 2, 3]
    assert all(a.ticket and not a.full for a in got[2:])


def test_a_ticket_admits_its_subject_when_its_second_has_come_without_counting() -> None:
    take("a"), take("b")
    waiting = take("c")
    assert not waiting.admitted and waiting.wait_seconds == 1

    early = take("c", ticket=waiting.ticket, now=NOW + 0.5)
    assert not early.admitted and early.ticket == waiting.ticket and early.wait_seconds == 1
    assert take("c", ticket=waiting.ticket, now=NOW + 1).admitted
    # The turn was counted once: the second after holds one more.
    assert take("d", now=NOW + 1).admitted


@pytest.mark.parametrize("ticket", ["", "nonsense", "x" * 500])
def test_a_bad_ticket_is_a_new_request(ticket: str) -> None:
    take("a"), take("b")
    assert take("c", ticket=ticket).wait_seconds == 1


def test_a_ticket_is_only_good_for_its_subject_and_scope() -> None:
    take("a"), take("b")
    ticket = take("c").ticket
    # Someone else's ticket (or another queue's) queues like no ticket.
    assert take("d", ticket=ticket, now=NOW + 1).ticket != ticket
    other = admission_take("other", subject="c", rate=0, max_wait=10, ticket=ticket, now=NOW + 1)
    assert other.admitted  # rate 0: that queue is off


def test_when_every_second_within_the_longest_wait_is_taken_the_queue_is_full() -> None:
    got = [take(f"u{i}", rate=1) for i in range(11)]  # this second and the next ten

    assert [a.admitted for a in got].count(True) == 1
    assert not any(a.full for a in got) and got[-1].wait_seconds == 10
    full = take("late", rate=1)
    assert full.full and not full.admitted and full.ticket == "" and full.wait_seconds >= 5


def test_rate_zero_turns_the_queue_off() -> None:
    assert all(take(f"u{i}", rate=0).admitted for i in range(50))


def test_a_failing_cache_admits(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ConnectionError("redis is restarting")

    monkeypatch.setattr("mooc.core.admission.cache.get", broken)

    assert take("a").admitted and take("b").admitted and take("c").admitted
