from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from mooc.accounts.sessions import session_idle_check


class SessionTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT seconds without a request.
    The absolute limit is the session cookie's age, set at login."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        if not getattr(view, "session_checked_by_view", False):
            session_idle_check(request)
