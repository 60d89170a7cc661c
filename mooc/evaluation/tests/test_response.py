"""A learner's response: saved as a draft, sent once, and every bad input refused whole."""

from __future__ import annotations

import pytest

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Instructor
from mooc.catalog.tests.factories import EnrollmentFactory
from mooc.core.errors import ServiceError
from mooc.evaluation.models import CourseEvaluation, EvaluationAnswer, EvaluationResponse
from mooc.evaluation.selectors import evaluation_questions
from mooc.evaluation.services import AnswersInvalid, evaluation_response_save
from mooc.evaluation.tests.factories import answers_for, course_with_evaluation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Setup = tuple[CourseEvaluation, User]


@pytest.fixture
def setup() -> Setup:
    evaluation = course_with_evaluation()
    course = evaluation.course
    course.instructors.add(
        Instructor.objects.create(name="Budi"), Instructor.objects.create(name="Sari")
    )
    learner = UserFactory.create()
    EnrollmentFactory.create(user=learner, course=course, completed=True)
    return evaluation, learner


def test_an_item_per_instructor_is_asked_for_each_instructor(setup: Setup) -> None:
    evaluation, _learner = setup
    groups = [q.group for q in evaluation_questions(evaluation=evaluation)]
    assert groups == ["Materi", "Saran", "Instruktur: Budi", "Instruktur: Sari"]


def test_a_draft_keeps_partial_answers_and_sending_makes_it_final(setup: Setup) -> None:
    evaluation, learner = setup
    questions = evaluation_questions(evaluation=evaluation)
    draft = evaluation_response_save(
        course=evaluation.course, user=learner, data={questions[0].key: "5"}, send=False
    )
    assert draft.submitted_at is None
    assert list(EvaluationAnswer.objects.values_list("value", flat=True)) == [5]

    sent = evaluation_response_save(
        course=evaluation.course, user=learner, data=answers_for(evaluation, text="Baik"), send=True
    )
    assert sent.pk == draft.pk
    assert sent.submitted_at is not None
    assert EvaluationAnswer.objects.filter(response=sent).count() == 4  # 1 + 2 instructors + text


def _refused(setup: Setup, data: dict[str, str], *, message: str) -> None:
    evaluation, learner = setup
    with pytest.raises(AnswersInvalid) as raised:
        evaluation_response_save(course=evaluation.course, user=learner, data=data, send=True)
    assert message in raised.value.errors.values()
    assert not EvaluationResponse.objects.exists()
    assert not EvaluationAnswer.objects.exists()


def test_a_missing_required_item_is_refused_and_nothing_saved(setup: Setup) -> None:
    evaluation, _learner = setup
    data = answers_for(evaluation)
    data.pop(evaluation_questions(evaluation=evaluation)[0].key)
    _refused(setup, data, message="This question is required.")


@pytest.mark.parametrize("value", ["0", "6", "-1", "4.5", "lima", "99999999999999999999"])
def test_a_value_outside_1_to_5_is_refused(setup: Setup, value: str) -> None:
    evaluation, _learner = setup
    data = answers_for(evaluation)
    data[evaluation_questions(evaluation=evaluation)[0].key] = value
    _refused(setup, data, message="Choose a value from 1 to 5.")


def test_fifty_thousand_characters_of_free_text_are_refused(setup: Setup) -> None:
    evaluation, _learner = setup
    _refused(
        setup,
        answers_for(evaluation, text="x" * 50_000),
        message="At most 2000 characters (this answer has 50000).",
    )


def test_a_second_response_is_refused(setup: Setup) -> None:
    evaluation, learner = setup
    evaluation_response_save(
        course=evaluation.course, user=learner, data=answers_for(evaluation), send=True
    )
    with pytest.raises(ServiceError, match="already sent"):
        evaluation_response_save(
            course=evaluation.course, user=learner, data=answers_for(evaluation, value=1), send=True
        )
    assert set(EvaluationAnswer.objects.values_list("value", flat=True)) == {4}


def test_a_learner_not_enrolled_or_not_passed_cannot_answer(setup: Setup) -> None:
    evaluation, _learner = setup
    stranger = UserFactory.create()
    with pytest.raises(ServiceError, match="not enrolled"):
        evaluation_response_save(
            course=evaluation.course, user=stranger, data=answers_for(evaluation), send=True
        )
    EnrollmentFactory.create(user=stranger, course=evaluation.course)  # active, not passed
    with pytest.raises(ServiceError, match="once you have passed"):
        evaluation_response_save(
            course=evaluation.course, user=stranger, data=answers_for(evaluation), send=True
        )
    failed = UserFactory.create()
    EnrollmentFactory.create(user=failed, course=evaluation.course, completed=True, passed=False)
    with pytest.raises(ServiceError, match="once you have passed"):
        evaluation_response_save(
            course=evaluation.course, user=failed, data=answers_for(evaluation), send=True
        )
    assert not EvaluationResponse.objects.exists()


def test_the_default_indonesian_template_is_installed_by_migrate() -> None:
    evaluation = course_with_evaluation(default=True)
    groups = {q.item.group for q in evaluation_questions(evaluation=evaluation)}
    assert {"Materi", "Penyelenggaraan dan Platform", "Saran"} <= groups
