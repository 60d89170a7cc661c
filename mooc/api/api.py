"""The REST API v1 for the mobile app: one NinjaAPI, the error handlers, the routers.

The API only parses, calls the apps' services and selectors, and renders (the same
rules and permission checks as the web pages). Versioning: docs/api.md.
"""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from mooc.api.auth import bearer
from mooc.api.problems import ApiProblem, problem
from mooc.core.db import DATABASE_RETRY_AFTER, database_unavailable
from mooc.core.errors import ServiceError

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="MOOC ASN API",
    version="1",
    description="The learner's journey for the mobile app. See docs/api.md.",
    urls_namespace="api-1",
    auth=bearer,
    openapi_url="/schema/",
    docs_url="/docs/",
)


@api.exception_handler(ApiProblem)
def _api_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return exc.response(request)


def _field(loc: list[object]) -> str:
    # ("body", "payload", "position") → "position"; ("query", "page") → "page"
    parts = [str(part) for part in loc[1:]] if loc and loc[0] in ("body", "query", "path") else []
    if parts and parts[0] in ("payload", "data", "body"):
        parts = parts[1:]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field(list(error.get("loc", []))), "message": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    if any(error.get("type") == "json_invalid" for error in exc.errors):
        return problem(400, "malformed", _("The request body is not valid JSON."), errors=errors)
    return problem(422, "invalid", _("Some fields are missing or invalid."), errors=errors)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(404, "not_found", _("Not found, or not yours."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code
    if status == 401:
        return problem(401, "unauthenticated", _("Sign in required."))
    if status == 429:
        return problem(429, "throttled", _("Too many requests. Please try again later."))
    if status == 400:
        # ninja's own refusal of a body it cannot parse ("Cannot parse request body").
        return problem(400, "malformed", _("The request body is not valid JSON."))
    return problem(status, "error", str(exc))


@api.exception_handler(ServiceError)
def _service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    if exc.code == "not_found":
        return problem(404, "not_found", str(exc.message))
    if exc.field:
        message = str(exc.message)
        return problem(422, "invalid", message, errors=[{"field": exc.field, "message": message}])
    return problem(409, exc.code or "refused", str(exc.message))


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem(413, "too_large", _("The request body is too large."))


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    if database_unavailable(exc):
        # A database restart or fail-over: the app retries after Retry-After.
        logger.warning("API %s: database unavailable (%s)", request.path, exc)
        return problem(
            503,
            "unavailable",
            _("The service is busy for a moment. Please try again in a few seconds."),
            headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
        )
    logger.exception("API error on %s", request.path)
    return problem(500, "server_error", _("Something went wrong on our side. Please try again."))


def _routers() -> None:
    from mooc.api import accounts, catalog, certificates, content, exams, learning

    api.add_router("", accounts.router)
    api.add_router("", catalog.router)
    api.add_router("", learning.router)
    api.add_router("", exams.router)
    api.add_router("", certificates.router)
    api.add_router("", content.router)


_routers()
