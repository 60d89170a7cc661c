"""The server's clock of an attempt: how long is left, and when it is over.

`Attempt.deadline` is set when the attempt starts and only moved by an audited
extension; saves are accepted until `deadline + SAVE_GRACE`, and an attempt is graded
automatically only after that same moment, so every acknowledged save is in the grade.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mooc.exams.models import Attempt, AttemptState

# A save sent just before the deadline may arrive a moment after it on a slow link.
SAVE_GRACE = dt.timedelta(seconds=2)


def attempt_remaining_seconds(attempt: Attempt, now: dt.datetime | None = None) -> int:
    """Whole seconds left before the server's deadline (0 once it has passed)."""
    if attempt.state != AttemptState.IN_PROGRESS:
        return 0
    left = (attempt.deadline - (now or timezone.now())).total_seconds()
    return max(int(left), 0)


def attempt_expired(attempt: Attempt, now: dt.datetime) -> bool:
    """True once the deadline and its grace have passed: no save lands any more."""
    return now > attempt.deadline + SAVE_GRACE
