from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, requires_csrf_token
from django.views.decorators.http import require_GET, require_safe
from django.views.i18n import JavaScriptCatalog

from mooc.core.db import DATABASE_RETRY_AFTER, database_unavailable

logger = logging.getLogger(__name__)


# CSRF-exempt so that a POST gets require_safe's 405, as documented, instead of the
# CSRF middleware's 403 (the view changes nothing, whatever the method).
@csrf_exempt
@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database and the cache answer, else 503."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:
        logger.exception("healthz: database unreachable")
        checks["database"] = "error"
    try:
        cache.set("healthz", "ok", timeout=10)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error"
    except Exception:
        logger.exception("healthz: cache unreachable")
        checks["cache"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@require_GET
def language(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """Switch the interface language (a cookie) and go back where the user was."""
    if code not in {lang for lang, _ in settings.LANGUAGES}:
        raise Http404
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


class AdminJavaScriptCatalog(JavaScriptCatalog):
    """The admin's JavaScript catalogue with this project's `djangojs` catalogue on top
    (mooc/locale): Django's Indonesian one leaves "Choose"/"Remove" in English and has
    the typo "Pindahkan%s" (so the course staff picker read "Pindahkanstaf")."""

    def get_paths(self, packages: list[str]) -> list[str]:
        return [*super().get_paths(packages), *(str(path) for path in settings.LOCALE_PATHS)]


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: for a request that failed because the database was away.
    JSON for fetch() (exam.js retries any 5xx with its backoff, and says "retrying"),
    otherwise a page that reloads itself (GET) or asks to try again (a form's POST).
    Rendered without the request's context processors: they may read the database."""
    if "application/json" in request.META.get("HTTP_ACCEPT", ""):
        response: HttpResponse = JsonResponse(
            {
                "ok": False,
                "retry": True,
                "error": _("The service is busy for a moment. Your answer is being sent again."),
            },
            status=503,
        )
    else:
        html = loader.render_to_string(
            "503.html",
            {
                "reload": request.method in ("GET", "HEAD"),
                "retry_after": DATABASE_RETRY_AFTER,
            },
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    add_never_cache_headers(response)
    return response


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """settings' handler500: a database that is away for a moment is a 503 the client
    may retry (after a PostgreSQL restart every node's pooled connections fail once),
    not a 500; anything else is Django's own 500."""
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    return defaults.server_error(request)
