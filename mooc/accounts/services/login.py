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


def user_login(*, request: HttpRequest, username: str, password: str) -> User:
    """Log the user in, or raise LoginRefused naming the first problem found."""
    candidate = user_by_username(username)
    if candidate is None:
        raise LoginRefused("unknown")
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise LoginRefused("throttled", retry_minutes=_cooloff_minutes())
    if user is None:
        # The password was checked already; only an account that may not log in
        # needs a second look to tell a wrong password from its state.
        if candidate.can_log_in or not candidate.check_password(password):
            raise LoginRefused("wrong_password")
        if not candidate.is_active:
            raise LoginRefused("deactivated")
        if candidate.is_locked:
            raise LoginRefused("locked")
        raise LoginRefused("not_activated")
    assert isinstance(user, User)
    login(request, user)  # rotates the session key
    request.session.set_expiry(settings.SESSION_COOKIE_AGE)
    mark_session_seen(request)
    return user
