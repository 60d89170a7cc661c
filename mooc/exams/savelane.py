"""The save lane: an answer save with a save token passes only the middleware it needs.

On exam day the answer save is nearly every request (3,000 learners × 20 questions
within the hour). Its common case, a fetch carrying a good save token
(mooc/exams/services/save_tokens.py), reads no session and checks no CSRF token, yet Django's
full middleware stack still ran around it: sessions, language, CSRF, authentication,
messages, lockout, each doing a little on every request. Measured one request at a
time through gunicorn, that stack was a third of a save's server CPU
(bench/request_cost.py).

So the WSGI handler (config/wsgi.py) sends a POST carrying an X-Save-Token header
through a short chain of the site's own middleware classes: the check that only a
trusted proxy may say the request came over HTTPS, the request id and its log line,
SecurityMiddleware (HTTPS redirect, HSTS, nosniff, referrer and opener policies), the
Content-Security-Policy and X-Frame-Options; then `views.save_fast`, the same code the
save view runs first. The host is validated as CommonMiddleware
would. Whenever the lane cannot answer (another URL, a bad or stale token, a closed
attempt, a disallowed host) the request goes through the full stack as if the lane
did not exist, and the view answers it as always. What the lane skips does nothing
for such a save: the session is not read, the view is CSRF-exempt (the token is the
protection), the user comes from the token, and the answer has no text to translate.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost, ImproperlyConfigured
from django.core.handlers.exception import response_for_exception
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve, set_urlconf
from django.utils.module_loading import import_string

from mooc.exams import views
from mooc.exams.lanes import LANE_VIEWS
from mooc.exams.services import save_tokens

LANE_MIDDLEWARE = [
    "mooc.core.middleware.TrustedProxyHeadersMiddleware",
    "mooc.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "mooc.core.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]


class _NotInLane(Exception):
    """The full middleware stack must answer this request."""


def _lane_view(request: HttpRequest) -> HttpResponse:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        raise _NotInLane from None
    fast = views.save_fast if match.func is views.save else LANE_VIEWS.get(match.view_name)
    if fast is None:
        raise _NotInLane
    try:
        request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware checks it
        response = fast(request, **match.kwargs)
    except DisallowedHost:
        raise _NotInLane from None
    except Exception as exc:  # noqa: BLE001 - as Django's handler converts a view's exception
        return response_for_exception(request, exc)
    if response is None:
        views.save_fast_missed(request)
        raise _NotInLane
    return response


class SaveLaneHandler(WSGIHandler):
    """Django's WSGI handler, with the save lane in front of the middleware stack."""

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async)
        chain: Any = _lane_view
        for path in reversed(LANE_MIDDLEWARE):
            if path not in settings.MIDDLEWARE:  # the lane must not add what the site lacks
                raise ImproperlyConfigured(f"The save lane's {path} is not in MIDDLEWARE.")
            chain = import_string(path)(chain)
        self._lane_chain = chain

    def get_response(self, request: HttpRequest) -> Any:
        if request.method == "POST" and save_tokens.HEADER in request.META:
            set_urlconf(settings.ROOT_URLCONF)
            try:
                response = self._lane_chain(request)
            except _NotInLane:
                pass
            else:
                response._resource_closers.append(request.close)
                return response
        return super().get_response(request)
