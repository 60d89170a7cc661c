from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from mooc.core.net import client_ip, is_trusted_proxy

logger = logging.getLogger("mooc.request")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    value = _request_id.get()
    return "" if value == "-" else value


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class TrustedProxyHeadersMiddleware:
    """Believe the scheme header (settings.SECURE_PROXY_SSL_HEADER, nginx's
    `X-Forwarded-Proto`) only from an address in TRUSTED_PROXIES.

    Django believes that header from any client once the setting is on, so a client
    talking straight to gunicorn could say "https" and skip the HTTPS redirect (and be
    sent secure cookies over plain HTTP). First in the chain, and in the save lane's:
    everything after it, `request.is_secure()` included, sees the header only when our
    own proxy wrote it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = settings.SECURE_PROXY_SSL_HEADER
        if (
            header is not None
            and header[0] in request.META
            and not is_trusted_proxy(request.META.get("REMOTE_ADDR", "") or "")
        ):
            del request.META[header[0]]
        return self.get_response(request)


class RequestIdMiddleware:
    """Give each request an id (kept from a trusted proxy's X-Request-ID) and log
    one line per request with it, so a user's complaint can be traced."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        trusted = is_trusted_proxy(request.META.get("REMOTE_ADDR", ""))
        request_id = incoming if trusted and _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            user = getattr(request, "user", None)
            logger.info(
                "%s %s %s %.1fms user=%s ip=%s",
                request.method,
                request.get_full_path()[:300],
                response.status_code,
                (time.perf_counter() - started) * 1000,
                user.pk if user is not None and user.is_authenticated else "-",
                client_ip(request),
            )
            return response
        finally:
            _request_id.reset(token)


class LanguageMiddleware:
    """Bahasa Indonesia unless the user chose another language.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an
    office PC set to English would show English; the ministry wants Indonesian
    first, and the language switch (a cookie) for anybody who prefers English.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class ContentSecurityPolicyMiddleware:
    """Send settings.CONTENT_SECURITY_POLICY with every response that has no policy of
    its own. The header is built once: the policy is the same for every page (no
    nonces: the site has no inline script)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = "; ".join(
            " ".join([directive, *sources])
            for directive, sources in settings.CONTENT_SECURITY_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.header)
        return response


class PrivateCacheMiddleware:
    """A signed-in user's pages are theirs: `Cache-Control: private, no-cache` on every
    response that read the session for an authenticated user and chose no caching of
    its own, so no shared cache (an office proxy) keeps a learner's dashboard for the
    next person. Responses that never touched the session are left alone: they cannot
    depend on who asked."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            "Cache-Control" not in response
            and session is not None
            and session.accessed
            and request.user.is_authenticated
        ):
            patch_cache_control(response, private=True, no_cache=True)
        return response
