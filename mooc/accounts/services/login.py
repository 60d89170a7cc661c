"""Logging in, with the seed's messages in the seed's order: the account, then
the password, and only after a correct password whether it is activated — so
nobody learns an account's state without its password."""

from __future__ import annotations

from typing import Literal

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.http import HttpRequest

from mooc.accounts.backends import user_by_username
from mooc.accounts.models import User
from mooc.accounts.sessions import mark_session_seen
from mooc.core.net import client_ip_key
from mooc.core.ratelimit import ratelimit_hit, ratelimit_peek

LoginProblem = Literal[
    "unknown", "wrong_password", "not_activated", "deactivated", "locked", "throttled"
]


class LoginRefused(Exception):
    def __init__(self, problem: LoginProblem, *, retry_minutes: int = 0) -> None:
        super().__init__(problem)
        self.problem: LoginProblem = problem
        self.retry_minutes = retry_minutes


def _cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def _ip_failure(request: HttpRequest, problem: LoginProblem) -> LoginRefused:
    """Count a failure against the client IP (unknown NIPs never reach the per-account
    lockout, so without this one address could try NIPs without end)."""
    ratelimit_hit(
        "login-fail:ip",
        client_ip_key(request),
        limit=settings.LOGIN_IP_FAILURE_LIMIT,
        window=settings.LOGIN_IP_WINDOW_SECONDS,
    )
    return LoginRefused(problem)


def user_authenticate(*, request: HttpRequest, username: str, password: str) -> User:
    """The user whose username and password these are, with every check of the login
    page (per-IP failures, the lockout, the account's state), without a session (the
    API's device sign-in); or raise LoginRefused naming the first problem found."""
    by_ip = ratelimit_peek(
        "login-fail:ip",
        client_ip_key(request),
        limit=settings.LOGIN_IP_FAILURE_LIMIT,
        window=settings.LOGIN_IP_WINDOW_SECONDS,
    )
    if not by_ip.allowed:
        raise LoginRefused("throttled", retry_minutes=max(1, -(-by_ip.retry_after // 60)))
    candidate = user_by_username(username, request=request)
    if candidate is None:
        raise _ip_failure(request, "unknown")
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise LoginRefused("throttled", retry_minutes=_cooloff_minutes())
    if user is None:
        # The password was checked already; only an account that may not log in
        # needs a second look to tell a wrong password from its state.
        if candidate.can_log_in or not candidate.check_password(password):
            raise _ip_failure(request, "wrong_password")
        if not candidate.is_active:
            raise LoginRefused("deactivated")
        if candidate.is_locked:
            raise LoginRefused("locked")
        raise LoginRefused("not_activated")
    assert isinstance(user, User)
    return user


def user_login(*, request: HttpRequest, username: str, password: str) -> User:
    """Log the user in, or raise LoginRefused naming the first problem found."""
    user = user_authenticate(request=request, username=username, password=password)
    login(request, user)  # rotates the session key
    request.session.set_expiry(settings.SESSION_COOKIE_AGE)
    mark_session_seen(request)
    return user
