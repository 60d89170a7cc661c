"""The one-statement answer save with a save token: the token's user is checked by the
statement itself, so every rule of the usual authentication still holds (logout and
password change included), and anything unusual falls back to the fully checked path."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.signing import Signer
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.exams.models import Attempt, AttemptState
from mooc.exams.services.answers import answer_save_as
from mooc.exams.services.attempts import attempt_start
from mooc.exams.services.clock import SAVE_GRACE
from mooc.exams.services.save_tokens import SaveToken, hmac_pads, password_tag
from mooc.exams.tests.factories import ExamFactory, make_bank
from mooc.exams.tests.helpers import running_attempt, stored, token_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement save is PostgreSQL's"
)
JSON: dict[str, Any] = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def attempt() -> Attempt:
    return running_attempt()


@pytest.fixture
def client_in(attempt: Attempt) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(attempt.user, backend="mooc.accounts.backends.AccountBackend")
    return client


def post_save(
    client: Client,
    attempt: Attempt,
    *,
    number: int = 1,
    option: int = 1,
    seq: int = 5,
    token: str | None = None,
) -> Any:
    data = {"position": number, "options": [str(option)], "client_seq": seq}
    headers: dict[str, Any] = {**JSON, **({"HTTP_X_SAVE_TOKEN": token} if token else {})}
    return client.post(reverse("exams:save", args=[attempt.pk]), data, **headers)


def claim_of(attempt: Attempt, **changes: Any) -> SaveToken:
    claim = {
        "attempt_id": attempt.pk,
        "user_id": attempt.user_id,
        "expires": int(attempt.deadline.timestamp()),
        "save_key": attempt.save_key,
        "password_tag": password_tag(User.objects.get(pk=attempt.user_id).password),
    }
    return SaveToken(**{**claim, **changes})


def save_as(claim: SaveToken, attempt: Attempt) -> object:
    return answer_save_as(
        token=claim, attempt_id=attempt.pk, position=0, option_positions=[1], client_seq=1
    )


def test_the_pads_give_the_password_tag() -> None:
    user = User(password="argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA")
    inner, outer = hmac_pads(settings.SECRET_KEY)
    inner_digest = hashlib.sha256(inner + user.password.encode()).digest()
    assert hashlib.sha256(outer + inner_digest).hexdigest() == password_tag(user.password)
    assert password_tag(user.password) != user.get_session_auth_hash()


@postgres_only
def test_a_save_with_its_token_is_one_statement_without_session_or_csrf(
    attempt: Attempt,
) -> None:
    client = Client(enforce_csrf_checks=True)  # no session, no CSRF cookie or header
    token = token_of(attempt)
    with CaptureQueriesContext(connection) as queries:
        response = post_save(client, attempt, number=2, option=3, seq=7, token=token)
    assert response.status_code == 200
    assert response.json()["applied"] is True
    assert "save_token" not in response.json()
    assert len(queries) == 1
    assert stored(attempt, 1) == ([3], 7)


@postgres_only
def test_without_a_token_the_session_and_csrf_are_checked(attempt: Attempt) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(attempt.user, backend="mooc.accounts.backends.AccountBackend")
    assert post_save(client, attempt).status_code == 403  # no CSRF token
    assert stored(attempt) is None
    client.get(reverse("exams:question", args=[attempt.pk, 1]))  # sets the CSRF cookie
    csrf = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("exams:save", args=[attempt.pk]),
        {"position": 1, "options": ["1"], "client_seq": 5},
        HTTP_X_CSRFTOKEN=csrf,
        **JSON,
    )
    assert response.status_code == 200
    assert stored(attempt) == ([1], 5)
    # The answer hands the page a token for its next saves, and that token works.
    fresh = response.json()["save_token"]
    assert post_save(Client(), attempt, option=2, seq=6, token=fresh).status_code == 200
    assert stored(attempt) == ([2], 6)


@postgres_only
def test_the_question_page_and_the_status_hand_out_working_tokens(
    client_in: Client, attempt: Attempt
) -> None:
    page = client_in.get(reverse("exams:question", args=[attempt.pk, 1]))
    found = re.search(r'data-save-token="([^"]+)"', page.content.decode())
    assert found is not None
    from_status = client_in.get(reverse("exams:status", args=[attempt.pk])).json()["save_token"]
    for seq, token in ((5, html.unescape(found.group(1))), (6, from_status)):
        assert post_save(Client(), attempt, seq=seq, token=token).status_code == 200
        assert stored(attempt) == ([1], seq)


@postgres_only
def test_the_request_log_names_the_learner_without_reading_the_user_row(
    attempt: Attempt, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="mooc.request"):
        post_save(Client(), attempt, token=token_of(attempt))
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
def test_a_token_or_session_that_no_longer_holds_saves_nothing(
    client_in: Client, attempt: Attempt, change: dict[str, object]
) -> None:
    token = token_of(attempt)
    User.objects.filter(pk=attempt.user.pk).update(**change)
    response = post_save(client_in, attempt, token=token)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert stored(attempt) is None


def test_logging_out_ends_the_token(client_in: Client, attempt: Attempt) -> None:
    token = token_of(attempt)
    client_in.logout()
    response = post_save(client_in, attempt, token=token)
    assert response.status_code == 302
    assert stored(attempt) is None


@postgres_only
def test_logging_out_elsewhere_sends_this_tab_for_a_fresh_token(
    client_in: Client, attempt: Attempt
) -> None:
    token = token_of(attempt)
    elsewhere = Client()
    elsewhere.force_login(attempt.user, backend="mooc.accounts.backends.AccountBackend")
    elsewhere.logout()
    # This tab's session still holds: the save lands through it, with a new token.
    response = post_save(client_in, attempt, token=token)
    assert response.status_code == 200
    assert stored(attempt) == ([1], 5)
    fresh = response.json()["save_token"]
    assert fresh != token
    assert post_save(Client(), attempt, option=2, seq=6, token=fresh).status_code == 200
    assert stored(attempt) == ([2], 6)


@pytest.mark.parametrize("spoil", ["garbled", "re-aimed", "expired", "oversized"])
def test_a_bad_token_is_not_believed(attempt: Attempt, spoil: str) -> None:
    good = token_of(attempt)
    value = Signer(salt="mooc.exams.save_token").unsign(good)
    parts = value.split(".")
    if spoil == "garbled":
        bad = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    elif spoil == "re-aimed":  # another attempt id, the old signature
        bad = ".".join([str(attempt.pk + 1), *parts[1:]]) + good[len(value) :]
    elif spoil == "expired":
        parts[2] = str(int(timezone.now().timestamp()) - 1)
        bad = Signer(salt="mooc.exams.save_token").sign(".".join(parts))
    else:
        bad = good + "A" * 400
    response = post_save(Client(), attempt, token=bad)
    assert response.status_code == 302  # no session behind it: off to log in
    assert stored(attempt) is None


def test_another_learners_token_or_session_gets_404_and_saves_nothing(attempt: Attempt) -> None:
    other = UserFactory.create()
    EnrollmentFactory.create(user=other, course=attempt.exam.course)
    theirs = attempt_start(exam=attempt.exam, user=other)
    client = Client()
    client.force_login(other, backend="mooc.accounts.backends.AccountBackend")
    assert post_save(client, attempt).status_code == 404
    assert post_save(client, attempt, token=token_of(theirs)).status_code == 404
    assert stored(attempt) is None


@postgres_only
def test_a_stale_save_returns_what_is_stored(attempt: Attempt) -> None:
    token = token_of(attempt)
    post_save(Client(), attempt, option=2, seq=9, token=token)
    client = Client()
    client.force_login(attempt.user, backend="mooc.accounts.backends.AccountBackend")
    response = post_save(client, attempt, option=1, seq=8, token=token)
    assert response.status_code == 200
    assert response.json()["applied"] is False
    assert response.json()["options"] == [2]
    assert stored(attempt) == ([2], 9)


def test_a_save_after_the_deadline_and_its_grace_is_refused(
    client_in: Client, attempt: Attempt
) -> None:
    token = token_of(attempt)
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - SAVE_GRACE - dt.timedelta(seconds=1)
    )
    response = post_save(client_in, attempt, token=token)
    assert response.status_code == 409
    assert response.json()["code"] == "time_up"
    assert stored(attempt) is None


def test_an_impossible_answer_is_refused(client_in: Client, attempt: Attempt) -> None:
    response = post_save(client_in, attempt, option=4, token=token_of(attempt))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert stored(attempt) is None


@postgres_only
def test_the_statement_applies_only_with_the_tokens_true_claim(attempt: Attempt) -> None:
    someone = UserFactory.create()
    for claim in (
        claim_of(attempt, password_tag="0" * 64),
        claim_of(attempt, save_key="0" * 32),
        claim_of(attempt, user_id=someone.pk, password_tag=password_tag(someone.password)),
    ):
        assert save_as(claim, attempt) is None
    assert stored(attempt) is None

    result = save_as(claim_of(attempt), attempt)
    assert result is not None and result.applied  # type: ignore[attr-defined]
    assert stored(attempt) == ([1], 1)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_save_waiting_on_the_grading_lock_is_refused_once_graded() -> None:
    course = CourseFactory.create()
    make_bank(course, size=5)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    attempt = attempt_start(exam=ExamFactory.create(course=course, question_count=5), user=user)
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
                    token=claim_of(attempt),
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
