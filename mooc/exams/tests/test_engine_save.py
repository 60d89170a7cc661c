"""Saving answers: ownership, the server's deadline, validation and stale tabs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.core.errors import ServiceError
from mooc.exams.models import Attempt, AttemptAnswer, Question
from mooc.exams.services.answers import answer_save
from mooc.exams.services.attempts import attempt_start
from mooc.exams.services.clock import SAVE_GRACE
from mooc.exams.services.submission import attempt_submit
from mooc.exams.tests.factories import ExamFactory, make_bank
from mooc.exams.tests.helpers import T0

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def attempt() -> Attempt:
    course = CourseFactory.create()
    make_bank(course)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    return attempt_start(exam=ExamFactory.create(course=course), user=user, now=T0)


def save(attempt: Attempt, *, user: User | None = None, **kwargs: object) -> object:
    values: dict[str, object] = {"position": 0, "option_positions": [1], "client_seq": 1}
    values.update(kwargs)
    values.setdefault("now", T0 + dt.timedelta(minutes=1))
    return answer_save(attempt_id=attempt.pk, user=user or attempt.user, **values)  # type: ignore[arg-type]


def refused(attempt: Attempt, **kwargs: Any) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        save(attempt, **kwargs)
    return caught.value


def stored(attempt: Attempt, position: int = 0) -> tuple[list[int], int]:
    answer = AttemptAnswer.objects.get(
        attempt_question__attempt=attempt, attempt_question__position=position
    )
    return answer.option_positions, answer.client_seq


def test_a_save_stores_the_choice(attempt: Attempt) -> None:
    result = save(attempt, position=2, option_positions=[3], client_seq=5)
    assert stored(attempt, 2) == ([3], 5)
    assert result.applied  # type: ignore[attr-defined]


def test_a_newer_save_replaces_the_choice(attempt: Attempt) -> None:
    save(attempt, option_positions=[1], client_seq=1)
    save(attempt, option_positions=[2], client_seq=2)
    assert stored(attempt) == ([2], 2)


def test_a_stale_save_is_ignored_and_the_stored_state_returned(attempt: Attempt) -> None:
    save(attempt, option_positions=[2], client_seq=7)
    result = save(attempt, option_positions=[1], client_seq=6)
    assert stored(attempt) == ([2], 7)
    assert (result.option_positions, result.client_seq, result.applied) == ([2], 7, False)  # type: ignore[attr-defined]


def test_repeating_a_save_is_harmless(attempt: Attempt) -> None:
    save(attempt, option_positions=[2], client_seq=3)
    result = save(attempt, option_positions=[2], client_seq=3)
    assert stored(attempt) == ([2], 3)
    assert result.option_positions == [2]  # type: ignore[attr-defined]


def test_clearing_an_answer_is_a_save_of_nothing(attempt: Attempt) -> None:
    save(attempt, option_positions=[2], client_seq=1)
    save(attempt, option_positions=[], client_seq=2)
    assert stored(attempt) == ([], 2)


def test_another_learner_cannot_touch_the_attempt(attempt: Attempt) -> None:
    error = refused(attempt, user=UserFactory.create())
    assert error.code == "not_found"
    assert not AttemptAnswer.objects.exists()


def test_saves_are_refused_after_the_deadline_and_its_grace(attempt: Attempt) -> None:
    just_in_time = attempt.deadline + SAVE_GRACE
    save(attempt, client_seq=1, now=just_in_time)

    error = refused(attempt, client_seq=2, now=just_in_time + dt.timedelta(milliseconds=1))

    assert error.code == "time_up"
    assert error.message == "Time is up: answers can no longer be saved."
    assert stored(attempt) == ([1], 1)


def test_saves_are_refused_once_submitted(attempt: Attempt) -> None:
    attempt_submit(attempt_id=attempt.pk, user=attempt.user, now=T0 + dt.timedelta(minutes=2))
    error = refused(attempt, now=T0 + dt.timedelta(minutes=3))
    assert error.code == "submitted"


@pytest.mark.parametrize(("position", "options"), [(0, [4]), (0, [-1]), (0, [0, 1]), (99, [0])])
def test_impossible_answers_are_refused(
    attempt: Attempt, position: int, options: list[int]
) -> None:
    error = refused(attempt, position=position, option_positions=options)
    assert error.code in {"invalid", "not_found"}
    assert not AttemptAnswer.objects.exists()


def test_multiple_response_accepts_several_options() -> None:
    course = CourseFactory.create()
    question = make_bank(course, size=1)[0]
    Question.objects.filter(pk=question.pk).update(qtype="multiple")
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    attempt = attempt_start(
        exam=ExamFactory.create(course=course, question_count=1), user=user, now=T0
    )
    save(attempt, option_positions=[3, 1, 1])
    assert stored(attempt) == ([1, 3], 1)


def test_a_save_takes_at_most_three_queries(attempt: Attempt) -> None:
    save(attempt, client_seq=1)  # the row exists: the common case is an update

    def counted(**kwargs: Any) -> int:
        with CaptureQueriesContext(connection) as queries:
            save(attempt, **kwargs)
        # The test's own transaction turns our atomic block into a savepoint.
        return sum(1 for q in queries if "SAVEPOINT" not in q["sql"])

    assert counted(client_seq=2) <= 3
    assert counted(client_seq=1) <= 3  # stale: reads back what is stored
    assert counted(position=3, client_seq=1) <= 3  # first answer to a question
