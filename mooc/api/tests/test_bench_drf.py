"""The benchmark's DRF answer save (bench/drf_api.py) answers like mooc/api's (ninja):
the framework comparison of bench/README.md measures the same endpoint twice.
Skipped unless requirements/bench-server.txt (djangorestframework) is installed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from mooc.accounts.models import User
from mooc.api.tests.support import API, sign_in
from mooc.exams.models import Attempt
from mooc.exams.tests.helpers import running_attempt, stored

pytest.importorskip("rest_framework")

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]

DRF = "/bench/drf/v1"


def _both(
    client: Client, attempt_id: int, body: Any, headers: dict[str, str]
) -> tuple[tuple[int, str, Any], tuple[int, str, Any]]:
    """The same request to ninja's save and then to DRF's: (status, type, body) each."""
    answers = []
    for prefix in (API, DRF):
        response = client.post(
            f"{prefix}/attempts/{attempt_id}/answers/",
            body if isinstance(body, str | bytes) else json.dumps(body),
            content_type="application/json",
            headers=headers,
        )
        content = json.loads(response.content)
        if isinstance(content, dict) and "errors" in content:
            # The messages are each library's own words; the fields must agree.
            content["errors"] = sorted(error["field"] for error in content["errors"])
        answers.append((response.status_code, response["Content-Type"], content))
        if "WWW-Authenticate" in response:
            answers[-1] = (*answers[-1][:2], {**content, "auth": response["WWW-Authenticate"]})
    return answers[0], answers[1]


def _ready() -> tuple[Client, int, dict[str, str]]:
    attempt = running_attempt()
    client = Client()
    tokens = sign_in(client, User.objects.get(pk=attempt.user_id))
    return client, attempt.pk, {"Authorization": f"Bearer {tokens['access_token']}"}


def test_a_save_is_stored_and_answered_alike() -> None:
    client, attempt_id, bearer = _ready()
    ninja = client.post(
        f"{API}/attempts/{attempt_id}/answers/",
        {"position": 1, "options": [2], "client_seq": 5},
        content_type="application/json",
        headers=bearer,
    )
    drf = client.post(
        f"{DRF}/attempts/{attempt_id}/answers/",
        {"position": 2, "options": [3], "client_seq": 5},
        content_type="application/json",
        headers=bearer,
    )
    assert (ninja.status_code, drf.status_code) == (200, 200)
    assert ninja["Content-Type"] == drf["Content-Type"] == "application/json"
    assert ninja.json() == {
        "position": 1,
        "options": [2],
        "client_seq": 5,
        "applied": True,
        "answered": True,
    }
    assert drf.json() == {
        "position": 2,
        "options": [3],
        "client_seq": 5,
        "applied": True,
        "answered": True,
    }
    attempt = Attempt.objects.get(pk=attempt_id)
    assert stored(attempt, 1) == ([3], 5)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"position": 1, "options": [1], "client_seq": 3}, 200),  # stale: applied false
        ("{not json", 400),
        ({"position": 1, "options": [1]}, 422),
        ({"position": "x", "options": [1], "client_seq": 1}, 422),
        ({"position": 1, "options": [1], "client_seq": 1, "extra": 1}, 422),
        ({"position": 0, "options": [1], "client_seq": 1}, 422),
        ({"position": 99, "options": [1], "client_seq": 20}, 404),  # not in the attempt
        ("x" * (1024 * 1024), 413),
    ],
)
def test_refusals_and_stale_saves_are_answered_alike(body: Any, status: int) -> None:
    client, attempt_id, bearer = _ready()
    first = client.post(
        f"{API}/attempts/{attempt_id}/answers/",
        {"position": 1, "options": [0], "client_seq": 10},
        content_type="application/json",
        headers=bearer,
    )
    assert first.status_code == 200
    ninja, drf = _both(client, attempt_id, body, bearer)
    assert ninja[0] == status
    assert drf == ninja


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer forged"}])
def test_no_or_a_forged_token_is_refused_alike(headers: dict[str, str]) -> None:
    _, attempt_id, _bearer = _ready()
    ninja, drf = _both(
        Client(), attempt_id, {"position": 1, "options": [], "client_seq": 1}, headers
    )
    assert ninja[0] == 401
    assert drf == ninja


def test_another_learners_attempt_is_a_404_alike() -> None:
    client, _, bearer = _ready()
    _, other_attempt_id, _other = _ready()
    ninja, drf = _both(
        client, other_attempt_id, {"position": 1, "options": [1], "client_seq": 1}, bearer
    )
    assert ninja[0] == 404
    assert drf == ninja
