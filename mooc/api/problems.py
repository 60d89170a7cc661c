"""One error format for the whole API: RFC 9457 `application/problem+json`.

Every refusal is a JSON object with `type` (a stable URI naming the problem, under
/api/v1/problems/), `title` and `detail` (in the request's language, Indonesian by
default: a person reads them), `status`, and for invalid input `errors` (one entry per
field). Nothing is written when a problem is answered.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema

CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "/api/v1/problems/"


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] | None = None


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be read."),
        401: _("Sign in required."),
        403: _("Not allowed."),
        404: _("Not found."),
        405: _("Method not allowed."),
        409: _("Conflict."),
        413: _("The request is too large."),
        415: _("Unsupported media type."),
        422: _("Invalid input."),
        429: _("Too many requests."),
        500: _("Server error."),
        503: _("Service unavailable."),
    }


def problem(
    status: int,
    code: str,
    detail: str,
    *,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """A problem+json response."""
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + code,
        "title": _titles().get(status, _("Error.")),
        "status": status,
        "detail": str(detail),
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


class ApiProblem(Exception):
    """Raised anywhere in an endpoint: answered as a problem+json."""

    def __init__(
        self, status: int, code: str, detail: str, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}

    def response(self, request: HttpRequest | None = None) -> HttpResponse:
        return problem(self.status, self.code, self.detail, headers=self.headers)


def not_found() -> ApiProblem:
    """Missing and someone else's look the same."""
    return ApiProblem(404, "not_found", _("Not found, or not yours."))


# Every endpoint may answer these; declared so the schema says so.
COMMON = {400: Problem, 401: Problem, 404: Problem, 413: Problem, 422: Problem, 429: Problem}
