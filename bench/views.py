"""The ceiling: the cheapest useful request on the same stack (gunicorn, every
middleware, PostgreSQL) — one query, a small JSON answer. Answer saves are
measured against its throughput."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe


@require_safe
def ceiling(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (value,) = cursor.fetchone() or (0,)
    return JsonResponse({"ok": value == 1})
