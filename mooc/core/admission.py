"""Admission control: a queue with turns, for the few requests that cost the most.

On exam day thousands of learners press "Login" and then "Mulai" within a minute. Past
what the servers can serve, every extra request only makes all of them slower (a
request that waits in gunicorn's backlog still costs its share when it runs, and the
learners behind it time out). Instead each such request takes a *turn*: a second in
which it may run. Each second has `rate` turns, counted in the shared cache (Redis), so
every node agrees. A request whose second has a free turn runs now; otherwise it is
given the first free second within `max_wait` and the learner sees a "Menunggu
giliran…" page that says how long (that second, honestly: turns are never given
twice) and comes back by itself then, carrying a signed ticket for its turn. When no
second within `max_wait` is free the queue is full: the page says so and tries again
later, with no turn held.

If the cache is unreachable, everyone is admitted: the queue protects throughput, it
must never be the reason a learner cannot start.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

_SALT = "mooc.core.admission"


@dataclass(frozen=True, slots=True)
class Admission:
    admitted: bool
    wait_seconds: int  # until the turn (0 when admitted)
    ticket: str  # signed turn to come back with ("" when admitted or the queue is full)
    full: bool = False  # no turn within max_wait: try again in `wait_seconds`


def _count_key(scope: str, second: int) -> str:
    return f"adm:{scope}:{second}"


def _frontier_key(scope: str) -> str:
    return f"adm:{scope}:frontier"


def _ticket_ok(ticket: str, *, scope: str, subject: str, now: float, max_age: int) -> int | None:
    """The second of a valid ticket for this scope and subject, else None."""
    try:
        data = signing.loads(ticket, salt=_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, list) or len(data) != 3 or data[:2] != [scope, subject]:
        return None
    second = data[2]
    return second if isinstance(second, int) else None


def admission_take(
    scope: str,
    *,
    subject: str,
    rate: int,
    max_wait: int,
    ticket: str = "",
    now: float | None = None,
) -> Admission:
    """Take a turn in `scope` for `subject` (e.g. a user id), at most `rate` per second.

    `ticket` is what an earlier call gave this subject: its turn, once come, admits it
    without counting again. `rate` 0 turns admission control off.
    """
    if rate <= 0:
        return Admission(admitted=True, wait_seconds=0, ticket="")
    now = time.time() if now is None else now
    second = int(now)
    if ticket:
        turn = _ticket_ok(ticket, scope=scope, subject=subject, now=now, max_age=max_wait + 120)
        if turn is not None:
            if turn <= second:
                return Admission(admitted=True, wait_seconds=0, ticket="")
            # Back too early (a clock ahead, a reload): keep the turn, wait for it.
            return Admission(admitted=False, wait_seconds=turn - second, ticket=ticket)
    try:
        return _take(scope, subject=subject, rate=rate, max_wait=max_wait, now=now)
    except Exception:  # the cache is down: admit rather than refuse
        logger.warning("admission control for %s skipped: the cache failed", scope, exc_info=True)
        return Admission(admitted=True, wait_seconds=0, ticket="")


def _take(scope: str, *, subject: str, rate: int, max_wait: int, now: float) -> Admission:
    second = int(now)
    # The first second that may still have a free turn: full seconds are not tried again.
    frontier = cache.get(_frontier_key(scope))
    start = max(second, frontier if isinstance(frontier, int) else second)
    for turn in range(start, second + max_wait + 1):
        key = _count_key(scope, turn)
        cache.add(key, 0, timeout=max_wait + 60)
        try:
            taken = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=max_wait + 60)
            taken = 1
        if taken <= rate:
            if turn == second:
                return Admission(admitted=True, wait_seconds=0, ticket="")
            ticket = signing.dumps([scope, subject, turn], salt=_SALT)
            return Admission(
                admitted=False, wait_seconds=max(1, math.ceil(turn - now)), ticket=ticket
            )
        # Full: later requests start after it.
        cache.set(_frontier_key(scope), turn + 1, timeout=max_wait + 60)
    return Admission(admitted=False, wait_seconds=max(5, max_wait // 4), ticket="", full=True)


def admission_page(
    request: HttpRequest,
    admission: Admission,
    *,
    title: str,
    message: str,
    action: str,
    fields: list[tuple[str, str]],
) -> HttpResponse:
    """The "Menunggu giliran…" page: says how long (`message` has %(seconds)d), counts
    down and posts `fields` and the ticket to `action` again by itself (js/queue.js);
    without JavaScript a button does it. A 200, never an error: the learner is being
    served, just later. Retry-After tells other clients the same."""
    wait = admission.wait_seconds
    if admission.full:
        message = _(
            "So many learners are waiting that the queue is full. This page tries "
            "again by itself in about %(seconds)d seconds."
        )
    response = render(
        request,
        "core/admission_wait.html",
        {
            "title": title,
            "message": message % {"seconds": wait},
            "wait_seconds": wait,
            "action": action,
            "fields": fields,
            "ticket": admission.ticket,
        },
    )
    response["Retry-After"] = str(wait)
    add_never_cache_headers(response)
    return response
