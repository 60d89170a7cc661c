from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

_LAST_SEEN = "last_seen"
# Writing the session on every request would cost a database write per click;
# a minute's precision is plenty for a four-hour idle limit.
_RESOLUTION = 60

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
    (the answer save, which mostly does not: mooc/exams/fastsave.py)."""
    view.session_checked_by_view = True  # type: ignore[attr-defined]
    return view


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


# Views a staff session without its second step may still open: the step itself,
# logging out, and choosing the language of those pages.
SECOND_FACTOR_EXEMPT = frozenset(
    {
        "accounts:mfa_verify",
        "accounts:mfa_enrol",
        "accounts:logout",
        "set_language",
        "language",
        "healthz",
    }
)


class SecondFactorMiddleware:
    """Staff (and learners who turned it on) pass the second step before any page:
    to enrolment when they have no authenticator yet, to the code otherwise.

    Runs after django-otp's OTPMiddleware, which tells from the session which device
    verified it. A browser remembered for the account's device passes silently.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        # The answer save reads no session unless it must (mooc/exams/fastsave.py); it
        # writes only the signed-in learner's own answers.
        if getattr(view, "session_checked_by_view", False):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in SECOND_FACTOR_EXEMPT:
            return None
        from mooc.accounts.models import User
        from mooc.accounts.services import mfa

        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        if not mfa.needed_check(request, user) or mfa.is_verified(request):
            return None
        device = mfa.remembered_device(request, user)
        if device is not None:
            mfa.session_verify(request, device)
            return None
        if mfa.is_enrolled(user):
            target = "accounts:mfa_verify"
        elif mfa.has_staff_role(user):
            target = "accounts:mfa_enrol"
        else:  # a learner whose device was just removed
            mfa.needed_forget(request)
            return None
        url = reverse(target)
        if request.method in ("GET", "HEAD"):
            url += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(url)
