"""The API's answer save rides the exams' save lane: with the attempt's save token it
is answered by one SQL statement before any middleware or the framework; without one
(or a stale one) the full stack answers, authenticated by the access token."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core import signals
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from mooc.accounts.models import User
from mooc.api.tests.support import API, Api
from mooc.exams.models import Attempt
from mooc.exams.savelane import SaveLaneHandler
from mooc.exams.tests.helpers import running_attempt, stored

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the one-statement save is PostgreSQL's"
    ),
]


def _serve(path: str, body: dict[str, Any], **headers: Any) -> tuple[str, bytes, int]:
    """The site's WSGI handler called as gunicorn would; also how often the full
    middleware stack ran."""
    handler = SaveLaneHandler()
    full_stack = [0]
    chain: Callable[[Any], Any] = handler._middleware_chain  # type: ignore[attr-defined]

    def counted(request: Any) -> Any:
        full_stack[0] += 1
        return chain(request)

    handler._middleware_chain = counted  # type: ignore[attr-defined]
    environ = (
        RequestFactory()
        .post(path, json.dumps(body), content_type="application/json", **headers)
        .environ
    )
    answer: dict[str, str] = {}

    def start_response(status: str, _headers: list[tuple[str, str]], _exc: object = None) -> Any:
        answer["status"] = status
        return lambda data: None

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = handler(environ, start_response)
        content = b"".join(response)
        response.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return answer["status"], content, full_stack[0]


def _ready() -> tuple[Attempt, dict[str, str], str]:
    attempt = running_attempt()
    api = Api(User.objects.get(pk=attempt.user_id))
    save_token = api.get(f"/attempts/{attempt.pk}/").json()["save_token"]
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {api.tokens['access_token']}"}
    return attempt, bearer, save_token


def test_a_save_with_its_save_token_takes_the_lane_in_one_statement() -> None:
    attempt, bearer, save_token = _ready()
    path = f"{API}/attempts/{attempt.pk}/answers/"
    with CaptureQueriesContext(connection) as queries:
        status, body, full_stack = _serve(
            path,
            {"position": 2, "options": [3], "client_seq": 7},
            HTTP_X_SAVE_TOKEN=save_token,
            **bearer,
        )
    assert status == "200 OK" and json.loads(body)["applied"] is True
    assert full_stack == 0 and len(queries) == 1
    assert stored(attempt, 1) == ([3], 7)


def test_a_stale_save_or_no_save_token_takes_the_full_stack() -> None:
    attempt, bearer, save_token = _ready()
    path = f"{API}/attempts/{attempt.pk}/answers/"
    _serve(path, {"position": 1, "options": [1], "client_seq": 9}, HTTP_X_SAVE_TOKEN=save_token)
    status, body, full_stack = _serve(
        path,
        {"position": 1, "options": [2], "client_seq": 8},
        HTTP_X_SAVE_TOKEN=save_token,
        **bearer,
    )
    assert status == "200 OK" and full_stack == 1
    assert json.loads(body)["applied"] is False and stored(attempt, 0) == ([1], 9)
    status, body, full_stack = _serve(
        path, {"position": 3, "options": [0], "client_seq": 1}, **bearer
    )
    assert status == "200 OK" and full_stack == 1 and stored(attempt, 2) == ([0], 1)
    # Neither token: 401, nothing stored.
    status, body, full_stack = _serve(path, {"position": 4, "options": [0], "client_seq": 1})
    assert status.startswith("401") and stored(attempt, 3) is None
