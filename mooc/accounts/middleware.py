from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse

_LAST_SEEN = "last_seen"
# Writing the session on every request would cost a database write per click;
# a minute's precision is plenty for a four-hour idle limit.
_RESOLUTION = 60


def mark_session_seen(request: HttpRequest) -> None:
    request.session[_LAST_SEEN] = int(time.time())


class SessionTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT seconds without a request.
    The absolute limit is the session cookie's age, set at login."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The session's user id, not `request.user`: that would load the user row on
        # every request, and the answer save checks the user inside its own SQL
        # statement instead (mooc/exams/fastsave.py). A session whose user may no
        # longer log in is still timed out here and then refused by `get_user`.
        if SESSION_KEY in request.session:
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN, now)
            if now - int(last_seen) > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
            elif now - int(last_seen) >= _RESOLUTION or _LAST_SEEN not in request.session:
                mark_session_seen(request)
        return self.get_response(request)
