"""The picture of an exam question: shown on the question page and in the review, and
handed only to the learner whose attempt it is."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Course
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.exams.models import (
    Attempt,
    AttemptQuestion,
    Exam,
    Question,
    QuestionSnapshot,
    ReviewMode,
)
from mooc.exams.services.attempts import attempt_start
from mooc.exams.services.submission import attempt_submit
from mooc.exams.tests.factories import ExamFactory, make_bank

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


def _client(user: User | None = None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def course() -> Course:
    course = CourseFactory.create()
    # One question of a bank of one: the attempt surely draws the picture.
    (question,) = make_bank(course, size=1)
    question.image.save("peta.png", ContentFile(_png()), save=True)
    return course


@pytest.fixture
def exam(course: Course) -> Exam:
    return ExamFactory.create(
        course=course, question_count=1, shuffle_questions=False, review_mode=ReviewMode.ALWAYS
    )


@pytest.fixture
def learner(learner: User, course: Course) -> User:
    """The shared learner, enrolled in this module's course."""
    EnrollmentFactory.create(user=learner, course=course)
    return learner


@pytest.fixture
def attempt(exam: Exam, learner: User) -> Attempt:
    return attempt_start(exam=exam, user=learner)


def _image_url(attempt: Attempt, number: int = 1) -> str:
    return reverse("exams:question_image", args=[attempt.pk, number])


def test_the_attempt_keeps_the_private_name_of_the_picture(attempt: Attempt) -> None:
    copy = AttemptQuestion.objects.get(attempt=attempt)
    assert copy.question_id is not None
    question = Question.objects.get(pk=copy.question_id)

    assert copy.image.name == question.image.name != ""


def test_the_learner_gets_the_picture_of_their_question(attempt: Attempt, learner: User) -> None:
    response = _client(learner).get(_image_url(attempt))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _png()  # type: ignore[attr-defined]
    assert response["Content-Type"] == "image/png"
    assert "private" in response["Cache-Control"]


def test_another_learner_gets_404(attempt: Attempt, course: Course) -> None:
    other = UserFactory.create()
    EnrollmentFactory.create(user=other, course=course)

    response = _client(other).get(_image_url(attempt))

    assert response.status_code == 404


def test_a_visitor_is_sent_to_login_and_gets_no_picture(attempt: Attempt) -> None:
    response = _client().get(_image_url(attempt))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_question_without_a_picture_or_out_of_range_is_404(
    attempt: Attempt, learner: User
) -> None:
    QuestionSnapshot.objects.filter(attempt_questions__attempt=attempt).update(image="")

    assert _client(learner).get(_image_url(attempt)).status_code == 404
    assert _client(learner).get(_image_url(attempt, 2)).status_code == 404


def test_the_question_page_shows_the_picture_with_alt_text(attempt: Attempt, learner: User) -> None:
    page = _client(learner).get(reverse("exams:question", args=[attempt.pk, 1]))

    html = page.content.decode()
    assert f'src="{_image_url(attempt)}"' in html
    assert 'alt="Picture for question 1"' in html


def test_the_review_shows_the_picture_after_grading(attempt: Attempt, learner: User) -> None:
    attempt_submit(attempt_id=attempt.pk, user=learner)

    page = _client(learner).get(reverse("exams:result", args=[attempt.pk]))
    picture = _client(learner).get(_image_url(attempt))

    assert f'src="{_image_url(attempt)}"' in page.content.decode()
    assert picture.status_code == 200


def test_a_question_page_without_a_picture_has_no_img(exam: Exam, course: Course) -> None:
    Question.objects.filter(course=course).update(image="")
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    attempt = attempt_start(exam=exam, user=user)

    page = _client(user).get(reverse("exams:question", args=[attempt.pk, 1]))

    assert page.status_code == 200
    assert _image_url(attempt) not in page.content.decode()
