from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

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
