"""The site's handler500 (mooc.core.views.server_error): an error that says the database
is away for a moment (OperationalError, InterfaceError) is a 503 with Retry-After in the
form the client asked for; anything else is Django's 500. The exam pages and the API
meet it in mooc/exams/tests/test_database_unavailable.py and mooc/api/tests."""

from __future__ import annotations

import sys

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from mooc.core.views import server_error


def _handled(exc: Exception, method: str = "get", **headers: str) -> HttpResponse:
    """What the handler answers while `exc` is being handled, as Django calls it."""
    request = getattr(RequestFactory(), method)("/x/", headers=headers)
    try:
        raise exc
    except Exception:  # noqa: BLE001 - any error, as Django's handler sees it
        assert sys.exc_info()[1] is exc
        return server_error(request)


@pytest.mark.parametrize("exc", [OperationalError("restart"), InterfaceError("closed")])
def test_a_database_error_is_a_503_with_retry_after(exc: Exception) -> None:
    page = _handled(exc)
    assert page.status_code == 503 and page["Retry-After"] == "5"
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    # Loads itself again after Retry-After by a script (no meta refresh: axe-core's
    # meta-refresh), and offers to do it now.
    assert 'data-reload-after="5"' in html and "js/reload.js" in html
    assert "http-equiv" not in html

    posted = _handled(exc, "post")
    assert posted.status_code == 503
    assert "data-reload-after" not in posted.content.decode()  # a form is not sent again

    fetched = _handled(exc, Accept="application/json")
    assert fetched.status_code == 503 and fetched["Content-Type"] == "application/json"


def test_any_other_error_is_djangos_500() -> None:
    response = _handled(RuntimeError("a bug"))
    assert response.status_code == 500 and not response.has_header("Retry-After")
