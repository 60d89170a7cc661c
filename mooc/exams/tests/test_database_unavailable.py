"""The exam pages when the database is away for a moment (a PostgreSQL restart, a
fail-over: every node's pooled connections fail once): 503 with Retry-After, in the form
each client understands — exam.js retries the save, a page reloads itself — never a 500
(mooc.core.views.server_error). Anything else is still a 500.

The database error is raised where the request would meet it (the selector or
service the view calls): closing the test database's connection under pytest-django's
transaction is not possible, and the benchmark's `--fault pg-restart` does the real
restart (bench/README.md)."""

from __future__ import annotations

from typing import Any, NoReturn

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.exams.models import Attempt, AttemptAnswer, Exam
from mooc.exams.services.attempts import attempt_start
from mooc.exams.tests.factories import ExamFactory, make_bank

pytestmark = pytest.mark.django_db


def _down(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise OperationalError("server closed the connection unexpectedly")


def _gone(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise InterfaceError("connection already closed")


@pytest.fixture
def taking() -> tuple[Client, User, Exam, Attempt]:
    course = CourseFactory.create()
    make_bank(course, size=3)
    exam = ExamFactory.create(course=course, question_count=3)
    user: User = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client, user, exam, attempt_start(exam=exam, user=user)


def test_a_page_answers_503_and_reloads_itself(
    taking: tuple[Client, User, Exam, Attempt], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _user, _exam, attempt = taking
    monkeypatch.setattr("mooc.exams.views.attempt_get_for_user", _down)

    response = client.get(reverse("exams:question", args=[attempt.pk, 1]))

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert 'data-reload-after="5"' in page and "Muat ulang halaman" in page
    assert "Silakan coba lagi sebentar lagi" in page
    assert "dimuat ulang otomatis dalam 5 detik" in page
    assert '<html lang="id">' in page


def test_a_form_post_answers_503_without_reloading(
    taking: tuple[Client, User, Exam, Attempt], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _user, exam, _attempt = taking
    monkeypatch.setattr("mooc.exams.views.exam_attempts_for_user", _gone)

    response = client.post(reverse("exams:start", args=[exam.pk]))

    assert response.status_code == 503 and response["Retry-After"] == "5"
    page = response.content.decode()
    assert "data-reload-after" not in page  # a reload would GET the start URL: a 405
    assert "Kembali lalu coba lagi" in page


def test_an_answer_save_answers_503_json_which_exam_js_retries(
    taking: tuple[Client, User, Exam, Attempt], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _user, _exam, attempt = taking
    # Both the token's fast lane and the signed-in path meet the database.
    monkeypatch.setattr("mooc.exams.views.save_by_token", _down)
    monkeypatch.setattr("mooc.exams.views.attempt_get_for_user", _down)

    response = client.post(
        reverse("exams:save", args=[attempt.pk]),
        {"position": "1", "options": "0", "client_seq": "5"},
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 503 and response["Retry-After"] == "5"
    body = response.json()
    assert body["ok"] is False and body["retry"] is True
    assert "dikirim ulang" in body["error"]
    monkeypatch.undo()
    assert not AttemptAnswer.objects.filter(attempt_question__attempt=attempt).exists()


def test_any_other_error_is_still_a_500(
    taking: tuple[Client, User, Exam, Attempt], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _user, _exam, attempt = taking

    def broken(*_args: Any, **_kwargs: Any) -> NoReturn:
        raise RuntimeError("a bug")

    monkeypatch.setattr("mooc.exams.views.attempt_get_for_user", broken)

    response = client.get(reverse("exams:question", args=[attempt.pk, 1]))

    assert response.status_code == 500
    assert "Retry-After" not in response
