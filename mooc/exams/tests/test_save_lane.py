"""The save lane (mooc/exams/savelane.py): a token-carrying answer save is answered
through a short chain of the site's middleware, with the same answer, headers and log
line; anything it cannot answer goes through the full stack as before."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.core import signals
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, close_old_connections, connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mooc.exams.models import Attempt
from mooc.exams.savelane import SaveLaneHandler
from mooc.exams.tests.helpers import running_attempt, stored, token_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement save is PostgreSQL's"
)


@pytest.fixture
def attempt() -> Attempt:
    return running_attempt()


class Served:
    """A SaveLaneHandler called as gunicorn would, noting whether the full middleware
    stack ran."""

    def __init__(self) -> None:
        self.handler = SaveLaneHandler()
        self.full_stack = 0
        # BaseHandler's private middleware chain (absent from the stubs), wrapped to count.
        chain: Callable[[Any], Any] = self.handler._middleware_chain  # type: ignore[attr-defined]

        def counted(request: Any) -> Any:
            self.full_stack += 1
            return chain(request)

        self.handler._middleware_chain = counted  # type: ignore[attr-defined]

    def post(
        self, path: str, data: dict[str, Any], **headers: Any
    ) -> tuple[str, dict[str, str], bytes]:
        environ = RequestFactory().post(path, data, **headers).environ
        answer: dict[str, Any] = {}

        def start_response(
            status: str, response_headers: list[tuple[str, str]], exc_info: object = None
        ) -> Callable[[bytes], object]:
            answer["status"], answer["headers"] = status, dict(response_headers)
            return lambda data: None

        # As Django's test client does: the request signals must not close the test
        # transaction's connection.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            body = b"".join(response)
            response.close()
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        return answer["status"], answer["headers"], body

    def save(
        self,
        attempt: Attempt,
        token: str,
        *,
        number: int = 1,
        option: int = 1,
        seq: int = 5,
        **headers: str,
    ) -> tuple[str, dict[str, str], bytes]:
        """An answer save as exam.js sends it."""
        data = {"position": number, "options": [str(option)], "client_seq": seq}
        return self.post(
            url(attempt), data, HTTP_ACCEPT="application/json", HTTP_X_SAVE_TOKEN=token, **headers
        )


def url(attempt: Attempt) -> str:
    return reverse("exams:save", args=[attempt.pk])


@postgres_only
def test_a_save_with_its_token_takes_the_lane_with_the_sites_headers_and_log_line(
    attempt: Attempt, caplog: pytest.LogCaptureFixture
) -> None:
    served = Served()
    token = token_of(attempt)
    with (
        caplog.at_level(logging.INFO, logger="mooc.request"),
        CaptureQueriesContext(connection) as queries,
    ):
        status, headers, body = served.save(attempt, token, number=2, option=3, seq=7)
    assert status == "200 OK"
    assert b'"applied": true' in body
    assert served.full_stack == 0
    assert len(queries) == 1  # the save statement, nothing else
    assert stored(attempt, 1) == ([3], 7)
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    lines = [r.getMessage() for r in caplog.records if r.name == "mooc.request"]
    assert len(lines) == 1
    assert f"POST {url(attempt)} 200" in lines[0] and f"user={attempt.user_id}" in lines[0]
    assert headers["X-Request-ID"] in caplog.records[-1].request_id  # type: ignore[attr-defined]


@postgres_only
def test_a_stale_save_goes_to_the_full_stack_without_a_second_statement(
    attempt: Attempt,
) -> None:
    served = Served()
    token = token_of(attempt)
    served.save(attempt, token, seq=9)
    with CaptureQueriesContext(connection) as queries:
        status, _, body = served.save(attempt, token, option=2, seq=4)
    assert served.full_stack == 1
    saves = [
        q
        for q in queries
        if q["sql"].lstrip().upper().startswith("INSERT INTO EXAMS_ATTEMPTANSWER")
    ]
    assert len(saves) == 1  # the lane's; the view did not run it again
    # The full stack answers as the view always has: a stale save is not applied, and
    # without a session or CSRF cookie the authenticated path refuses it.
    assert stored(attempt) == ([1], 9)
    assert status.startswith("403"), (status, body[:200])


def test_a_bad_token_gets_the_full_stack_and_its_csrf_check(attempt: Attempt) -> None:
    served = Served()
    status, _, _ = served.save(attempt, "forged:token")
    assert served.full_stack == 1
    assert status.startswith("403")  # no session, no CSRF token: refused as before
    assert stored(attempt) is None


@postgres_only
def test_a_disallowed_host_is_refused_by_the_full_stack(attempt: Attempt) -> None:
    served = Served()
    status, _, _ = served.save(attempt, token_of(attempt), HTTP_HOST="evil.example")
    assert served.full_stack == 1
    assert status.startswith("400")
    assert stored(attempt) is None


@postgres_only
def test_other_posts_with_the_header_take_the_full_stack(attempt: Attempt) -> None:
    served = Served()
    status, _, _ = served.post(reverse("accounts:login"), {}, HTTP_X_SAVE_TOKEN=token_of(attempt))
    assert served.full_stack == 1
    assert status.startswith("403")  # the full stack's CSRF check, as without the header


@postgres_only
def test_a_database_error_in_the_lane_is_a_logged_503_that_exam_js_retries(
    attempt: Attempt, caplog: pytest.LogCaptureFixture
) -> None:
    served = Served()
    token = token_of(attempt)
    with (
        mock.patch(
            "mooc.exams.services.answers.answer_save_as",
            side_effect=OperationalError("server gone"),
        ),
        caplog.at_level(logging.ERROR, logger="django.request"),
    ):
        status, headers, body = served.save(attempt, token)
    # The database away for a moment (mooc.core.views.server_error): a 503 with
    # Retry-After, in JSON, which exam.js retries; still logged with the exception.
    assert status.startswith("503") and headers["Retry-After"] == "5"
    assert json.loads(body)["retry"] is True
    assert served.full_stack == 0
    assert any("Service Unavailable" in r.getMessage() and r.exc_info for r in caplog.records)


@postgres_only
@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_redirected_to_https_before_anything_is_saved(attempt: Attempt) -> None:
    served = Served()
    status, headers, _ = served.save(attempt, token_of(attempt))
    assert status.startswith("301") and headers["Location"].startswith("https://")
    assert stored(attempt) is None


def test_the_lane_uses_only_middleware_the_site_has() -> None:
    only_some = ["mooc.core.middleware.RequestIdMiddleware"]
    with (
        override_settings(MIDDLEWARE=only_some),
        pytest.raises(ImproperlyConfigured, match="is not in MIDDLEWARE"),
    ):
        SaveLaneHandler()


def test_the_site_is_served_by_the_lane_handler() -> None:
    from config.wsgi import application

    assert isinstance(application, SaveLaneHandler)


@override_settings(
    SECURE_SSL_REDIRECT=True,
    TRUSTED_PROXIES=["10.0.0.5"],
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_the_lane_believes_x_forwarded_proto_only_from_a_trusted_proxy(attempt: Attempt) -> None:
    # Issue 14, F7: the lane's short chain must judge the header as the full stack does.
    served = Served()
    status, headers, _ = served.save(
        attempt, token_of(attempt), REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_PROTO="https"
    )
    assert status.startswith("301") and headers["Location"].startswith("https://")
    assert served.full_stack == 0
    assert stored(attempt) is None
