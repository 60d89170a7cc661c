"""The session's idle timeout, for the middleware and for views that check it
themselves (the answer save): the public half of `middleware.SessionTimeoutMiddleware`."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest

_LAST_SEEN = "last_seen"
# Noting the request writes the session (a database write and a cache write). Every
# minute, that was most pages of an exam (start, question page, submit and result
# come minutes apart); five minutes is precise enough for a four-hour idle limit, and
# matches how long the second-step check is kept in the session (services/mfa.py), so
# both are written together.
_RESOLUTION = 300

View = TypeVar("View", bound=Callable[..., Any])


def mark_session_seen(request: HttpRequest) -> None:
    request.session[_LAST_SEEN] = int(time.time())


def session_idle_check(request: HttpRequest) -> None:
    """End the session after SESSION_IDLE_TIMEOUT seconds without a request, and
    note this one (once a minute)."""
    # The session's user id, not `request.user`: that would load the user row. A
    # session whose user may no longer log in is still timed out here and then
    # refused by `get_user`.
    if SESSION_KEY in request.session:
        now = int(time.time())
        last_seen = request.session.get(_LAST_SEEN, now)
        if now - int(last_seen) > settings.SESSION_IDLE_TIMEOUT:
            logout(request)
        elif now - int(last_seen) >= _RESOLUTION or _LAST_SEEN not in request.session:
            mark_session_seen(request)


def session_checked_by_view(view: View) -> View:
    """Mark a view that calls `session_idle_check` itself when it reads the session
    (the answer save, which mostly does not: mooc/exams/services/save_tokens.py)."""
    view.session_checked_by_view = True  # type: ignore[attr-defined]
    return view
