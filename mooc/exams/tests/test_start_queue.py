"""The start button under admission control: past the site's starts per second the
learner gets the "Menunggu giliran…" page (an honest wait, a form that comes back by
itself), never an error; resuming and refusals never queue."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Course
from mooc.catalog.tests.factories import EnrollmentFactory
from mooc.exams.models import Attempt, Exam
from mooc.exams.tests.factories import ExamFactory, make_bank

pytestmark = pytest.mark.django_db

NOW = 1_800_000_000.5


@pytest.fixture
def exam(course: Course) -> Exam:
    make_bank(course, size=5)
    return ExamFactory.create(course=course, question_count=5)


@pytest.fixture(autouse=True)
def one_start_a_second(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.EXAM_START_ADMISSION_RATE = 1
    settings.EXAM_START_ADMISSION_MAX_WAIT = 3
    clock(monkeypatch, NOW)


def clock(monkeypatch: pytest.MonkeyPatch, now: float) -> None:
    monkeypatch.setattr("mooc.core.admission.time.time", lambda: now)


def learner_at(course: Course) -> tuple[User, Client]:
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    client = Client()
    client.force_login(user)
    return user, client


def start(client: Client, exam: Exam, **data: Any) -> Any:
    return client.post(reverse("exams:start", args=[exam.pk]), data)


def ticket_of(response: Any) -> str:
    found = re.search(r'name="ticket" value="([^"]+)"', response.content.decode())
    assert found is not None
    return found.group(1)


def test_past_the_rate_learners_wait_their_turn_on_a_page_that_says_so(
    course: Course, exam: Exam, monkeypatch: pytest.MonkeyPatch
) -> None:
    _first, first_client = learner_at(course)
    second, second_client = learner_at(course)

    assert start(first_client, exam).status_code == 302
    waiting = start(second_client, exam)

    assert waiting.status_code == 200 and waiting["Retry-After"] == "1"
    page = waiting.content.decode()
    assert "Menunggu giliran…" in page and "sekitar 1 detik" in page
    assert 'data-queue-wait="1"' in page and "js/queue.js" in page
    assert f'action="{reverse("exams:start", args=[exam.pk])}"' in page
    assert "no-store" in waiting["Cache-Control"]
    assert not Attempt.objects.filter(user=second).exists()

    # Its turn: the page posts again with the ticket and the attempt starts.
    clock(monkeypatch, NOW + 1)
    started = start(second_client, exam, ticket=ticket_of(waiting))
    assert started.status_code == 302 and "/soal/1/" in started["Location"]
    assert Attempt.objects.filter(user=second).count() == 1


def test_a_second_start_from_another_tab_resumes_without_queueing(
    course: Course, exam: Exam
) -> None:
    user, client = learner_at(course)
    first = start(client, exam)
    _other, other_client = learner_at(course)
    assert start(other_client, exam).status_code == 200  # the second's turn is taken

    again = start(client, exam)  # another tab of the first learner

    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Attempt.objects.filter(user=user).count() == 1


def test_an_exam_not_open_says_so_without_queueing(course: Course, exam: Exam) -> None:
    exam.available_from = timezone.now() + dt.timedelta(days=1)
    exam.save(update_fields=["available_from"])
    _user, client = learner_at(course)
    _other, other_client = learner_at(course)

    for learner_client in (client, other_client):
        response = start(learner_client, exam)
        assert response.status_code == 302
        assert response["Location"] == reverse("exams:landing", args=[exam.pk])
    page = other_client.get(reverse("exams:landing", args=[exam.pk])).content.decode()
    assert "belum dibuka" in page or "not open" in page
    assert not Attempt.objects.exists()


def test_a_full_queue_says_so_and_retries_without_a_ticket(course: Course, exam: Exam) -> None:
    clients = [learner_at(course)[1] for _ in range(6)]
    responses = [start(client, exam) for client in clients]

    assert [r.status_code for r in responses] == [302, 200, 200, 200, 200, 200]
    assert ["Antrean sedang penuh" in r.content.decode() for r in responses[1:]] == [
        False,
        False,
        False,
        True,
        True,
    ]
    full = responses[-1].content.decode()
    assert "Antrean sedang penuh" in full and 'name="ticket"' not in full
    assert 'data-queue-wait="5"' in full


@pytest.mark.parametrize("ticket", ["garbage", "x" * 5000, "a:b:c"])
def test_a_forged_or_oversized_ticket_just_queues(course: Course, exam: Exam, ticket: str) -> None:
    start(learner_at(course)[1], exam)
    response = start(learner_at(course)[1], exam, ticket=ticket)
    assert response.status_code == 200 and "Menunggu giliran…" in response.content.decode()


def test_someone_elses_ticket_does_not_let_a_learner_skip_the_queue(
    course: Course, exam: Exam, monkeypatch: pytest.MonkeyPatch
) -> None:
    start(learner_at(course)[1], exam)
    ticket = ticket_of(start(learner_at(course)[1], exam))
    clock(monkeypatch, NOW + 1)
    start(learner_at(course)[1], exam)  # takes the second that has come

    thief, thief_client = learner_at(course)
    response = start(thief_client, exam, ticket=ticket)

    assert response.status_code == 200 and not Attempt.objects.filter(user=thief).exists()


def test_the_queue_page_needs_no_inline_script(course: Course, exam: Exam) -> None:
    start(learner_at(course)[1], exam)
    page = start(learner_at(course)[1], exam).content.decode()
    assert "<script>" not in page and "onclick" not in page
