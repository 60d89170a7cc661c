"""Bad input gets the right status and a problem+json body, never a 500, and changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UnitFactory, UserFactory
from mooc.api.tests.support import API, Api
from mooc.catalog.tests.factories import EnrollmentFactory
from mooc.certificates.tests.support import course_with_exam
from mooc.exams.models import Attempt, AttemptAnswer
from mooc.exams.services.attempts import attempt_start

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def running() -> tuple[Api, Attempt]:
    course, exam = course_with_exam()
    user: User = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    return Api(user), attempt_start(exam=exam, user=user)


def _raw(api: Api, path: str, body: bytes, content_type: str = "application/json") -> Any:
    return api.client.generic(
        "POST", f"{API}{path}", body, content_type=content_type, headers=api._headers(None)
    )


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b'{"position": "eins", "options": [0], "client_seq": 1}', 422),
        (b'{"position": 1, "options": "0", "client_seq": 1}', 422),
        (b'{"position": 1, "options": [0]}', 422),
        (b'{"position": 1, "options": [0], "client_seq": 1, "extra": true}', 422),
        (b'{"position": 0, "options": [0], "client_seq": 1}', 422),
        (b'{"position": 1, "options": [0], "client_seq": -5}', 422),
        (b"[]", 422),
        (
            b'{"position": 1, "options": [0], "client_seq": 1, "pad": "' + b"x" * 1_000_000 + b'"}',
            413,
        ),
    ],
    ids=[
        "malformed",
        "wrong-type",
        "options-not-list",
        "missing",
        "unknown-field",
        "zero",
        "negative-seq",
        "array",
        "1MB",
    ],
)
def test_a_bad_save_body_is_refused_and_changes_nothing(
    running: tuple[Api, Attempt], body: bytes, status: int
) -> None:
    api, attempt = running
    response = _raw(api, f"/attempts/{attempt.pk}/answers/", body)
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == status
    if body == b"{not json":
        # Said in words a person reads (Indonesian by default), with a stable code.
        assert response.json()["code"] == "malformed"
        assert response.json()["detail"] == "Isi permintaan bukan JSON yang valid."
    assert not AttemptAnswer.objects.exists()


def test_a_question_not_in_the_attempt_or_an_option_out_of_range(
    running: tuple[Api, Attempt],
) -> None:
    api, attempt = running
    missing = api.post(
        f"/attempts/{attempt.pk}/answers/", {"position": 99, "options": [0], "client_seq": 1}
    )
    assert missing.status_code == 404
    bad_option = api.post(
        f"/attempts/{attempt.pk}/answers/", {"position": 1, "options": [9], "client_seq": 1}
    )
    assert bad_option.status_code == 422 and bad_option["Content-Type"] == PROBLEM
    assert not AttemptAnswer.objects.exists()


def test_a_stale_save_changes_nothing_and_returns_what_is_stored(
    running: tuple[Api, Attempt],
) -> None:
    api, attempt = running
    url = f"/attempts/{attempt.pk}/answers/"
    assert api.post(url, {"position": 1, "options": [1], "client_seq": 10}).json()["applied"]
    stale = api.post(url, {"position": 1, "options": [2], "client_seq": 9})
    assert stale.status_code == 200
    assert stale.json() == {
        "position": 1,
        "options": [1],
        "client_seq": 10,
        "applied": False,
        "answered": True,
    }


def test_a_save_after_the_deadline_is_refused_and_the_attempt_graded(
    running: tuple[Api, Attempt],
) -> None:
    api, attempt = running
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(minutes=10))
    response = api.post(
        f"/attempts/{attempt.pk}/answers/", {"position": 1, "options": [0], "client_seq": 1}
    )
    assert response.status_code == 409 and response.json()["code"] == "time_up"
    assert not AttemptAnswer.objects.exists()
    attempt.refresh_from_db()
    assert attempt.state == "graded"
    state = api.get(f"/attempts/{attempt.pk}/").json()
    assert state["state"] == "graded" and state["questions"] == [] and state["save_token"] is None


def test_a_save_after_submitting_is_a_409(running: tuple[Api, Attempt]) -> None:
    api, attempt = running
    assert api.post(f"/attempts/{attempt.pk}/submit/").status_code == 200
    response = api.post(
        f"/attempts/{attempt.pk}/answers/", {"position": 1, "options": [0], "client_seq": 1}
    )
    assert response.status_code == 409 and response.json()["code"] == "submitted"


def test_bad_query_parameters_and_unknown_paths(learner: User) -> None:
    api = Api(learner)
    for path, query in (
        ("/courses/", {"page": "x"}),
        ("/courses/", {"page_size": "1000"}),
        ("/courses/", {"level": "<script>"}),
        ("/courses/", {"page": "99"}),
        ("/attempts/abc/", {}),
        ("/tidak-ada/", {}),
    ):
        response = api.get(path, query=query)
        assert response.status_code in (404, 422), (path, query, response.status_code)
        if response.status_code == 422 or path.startswith("/courses"):
            assert response["Content-Type"] == PROBLEM, (path, query)


def test_profile_update_refuses_unknown_fields_and_keeps_the_nip(learner: User) -> None:
    api = Api(learner)
    response = api.patch("/me/", {"username": "lain"})
    assert response.status_code == 422
    learner.refresh_from_db()
    assert learner.username != "lain"
    # An internal employee without a unit must choose one: a field error, nothing saved.
    refused = api.patch("/me/", {"phone": "0812345"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "unit"
    learner.refresh_from_db()
    assert learner.phone != "0812345"
    unit = UnitFactory.create()
    saved = api.patch("/me/", {"phone": "0812345", "unit_id": unit.pk})
    assert saved.status_code == 200 and saved.json()["phone"] == "0812345"


def test_a_database_away_for_a_moment_is_problem_json_503(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A PostgreSQL restart or fail-over (mooc.api.api._unexpected): the app retries."""

    def down(*_args: Any, **_kwargs: Any) -> NoReturn:
        raise OperationalError("server closed the connection unexpectedly")

    course, exam = course_with_exam()
    user: User = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    api = Api(user, Client(raise_request_exception=False))
    monkeypatch.setattr("mooc.api.exams.attempt_start", down)

    response = api.post(f"/exams/{exam.pk}/attempts/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "5"
    assert response.json()["code"] == "unavailable"
