"""The one-statement answer save: the session's user is checked by the statement itself,
so every rule of the usual authentication still holds, and anything unusual falls back
to the fully checked path."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from mooc.accounts.models import User
from mooc.exams.engine import SAVE_GRACE, answer_save_as, attempt_start
from mooc.exams.fastsave import SessionIdentity, hmac_pads
from mooc.exams.models import Attempt, AttemptAnswer, AttemptState
from mooc.exams.tests.test_engine_support import (
    enrol,
    make_bank,
    make_course,
    make_exam,
    make_user,
)

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement save is PostgreSQL's"
)
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def attempt() -> Attempt:
    course = make_course()
    course.is_published = True
    course.save(update_fields=["is_published"])
    make_bank(course, size=5)
    user = make_user()
    enrol(user, course)
    return attempt_start(exam=make_exam(course, question_count=5), user=user)


@pytest.fixture
def client_in(attempt: Attempt) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(attempt.user, backend="mooc.accounts.backends.AccountBackend")
    return client


def post_save(
    client: Client, attempt: Attempt, *, number: int = 1, option: int = 1, seq: int = 5
) -> Any:
    data = {"position": number, "options": [str(option)], "client_seq": seq}
    return client.post(reverse("exams:save", args=[attempt.pk]), data, **JSON)


def stored(attempt: Attempt, position: int = 0) -> tuple[list[int], int] | None:
    answer = AttemptAnswer.objects.filter(
        attempt_question__attempt=attempt, attempt_question__position=position
    ).first()
    return None if answer is None else (answer.option_positions, answer.client_seq)


def identity_of(user: User) -> SessionIdentity:
    return SessionIdentity(user_id=user.pk, auth_hash=user.get_session_auth_hash())


def test_the_pads_give_djangos_session_auth_hash() -> None:
    user = User(password="argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA")
    inner, outer = hmac_pads(settings.SECRET_KEY)
    inner_digest = hashlib.sha256(inner + user.password.encode()).digest()
    assert hashlib.sha256(outer + inner_digest).hexdigest() == user.get_session_auth_hash()


@postgres_only
def test_a_save_that_lands_is_one_statement(client_in: Client, attempt: Attempt) -> None:
    post_save(client_in, attempt)  # the first request notes the session as seen
    with CaptureQueriesContext(connection) as queries:
        response = post_save(client_in, attempt, number=2, option=3, seq=7)
    assert response.status_code == 200
    assert response.json()["applied"] is True
    assert len(queries) == 1
    assert stored(attempt, 1) == ([3], 7)


@postgres_only
def test_the_request_log_names_the_learner_without_reading_the_user_row(
    client_in: Client, attempt: Attempt, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="mooc.request"):
        post_save(client_in, attempt)
    assert f"user={attempt.user.pk}" in caplog.text


@pytest.mark.parametrize(
    "change",
    [
        {"is_active": False},
        {"locked_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},
        {"password": "pbkdf2_sha256$1$changed$changed"},
    ],
    ids=["deactivated", "locked", "password-changed"],
)
def test_a_session_that_no_longer_holds_saves_nothing_and_is_sent_to_log_in(
    client_in: Client, attempt: Attempt, change: dict[str, object]
) -> None:
    User.objects.filter(pk=attempt.user.pk).update(**change)
    response = post_save(client_in, attempt)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert stored(attempt) is None


def test_another_learners_session_gets_404_and_saves_nothing(attempt: Attempt) -> None:
    other = make_user()
    client = Client()
    client.force_login(other, backend="mooc.accounts.backends.AccountBackend")
    assert post_save(client, attempt).status_code == 404
    assert stored(attempt) is None


def test_a_stale_save_returns_what_is_stored(client_in: Client, attempt: Attempt) -> None:
    post_save(client_in, attempt, option=2, seq=9)
    response = post_save(client_in, attempt, option=1, seq=8)
    assert response.status_code == 200
    assert response.json()["applied"] is False
    assert response.json()["options"] == [2]
    assert stored(attempt) == ([2], 9)


def test_a_save_after_the_deadline_and_its_grace_is_refused(
    client_in: Client, attempt: Attempt
) -> None:
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - SAVE_GRACE - dt.timedelta(seconds=1)
    )
    response = post_save(client_in, attempt)
    assert response.status_code == 409
    assert response.json()["code"] == "time_up"
    assert stored(attempt) is None


def test_an_impossible_answer_is_refused(client_in: Client, attempt: Attempt) -> None:
    response = post_save(client_in, attempt, option=4)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert stored(attempt) is None


@postgres_only
def test_the_statement_applies_only_with_the_sessions_real_user(attempt: Attempt) -> None:
    wrong_hash = SessionIdentity(user_id=attempt.user.pk, auth_hash="0" * 64)
    someone_else = identity_of(make_user())
    for identity in (wrong_hash, someone_else):
        result = answer_save_as(
            identity=identity,
            attempt_id=attempt.pk,
            position=0,
            option_positions=[1],
            client_seq=1,
        )
        assert result is None
    assert stored(attempt) is None

    result = answer_save_as(
        identity=identity_of(attempt.user),
        attempt_id=attempt.pk,
        position=0,
        option_positions=[1],
        client_seq=1,
    )
    assert result is not None and result.applied
    assert stored(attempt) == ([1], 1)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_save_waiting_on_the_grading_lock_is_refused_once_graded() -> None:
    course = make_course()
    make_bank(course, size=5)
    user = make_user()
    enrol(user, course)
    attempt = attempt_start(exam=make_exam(course, question_count=5), user=user)
    locked = threading.Event()
    outcome: list[object] = []

    def grader() -> None:
        # Stands for grading: FOR UPDATE on the attempt, then "graded", then commit.
        try:
            with transaction.atomic():
                Attempt.objects.select_for_update().get(pk=attempt.pk)
                locked.set()
                threading.Event().wait(0.5)
                Attempt.objects.filter(pk=attempt.pk).update(
                    state=AttemptState.GRADED, graded_at=timezone.now(), score=Decimal(0)
                )
        finally:
            connections.close_all()

    def saver() -> None:
        try:
            locked.wait()
            outcome.append(
                answer_save_as(
                    identity=identity_of(user),
                    attempt_id=attempt.pk,
                    position=0,
                    option_positions=[1],
                    client_seq=1,
                )
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=grader), threading.Thread(target=saver)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcome == [None]
    assert stored(attempt) is None
