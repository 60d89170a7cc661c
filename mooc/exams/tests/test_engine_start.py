"""Starting an exam: the rules, the random draw, the copies, and resuming."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.core.errors import ServiceError
from mooc.exams.models import Attempt, AttemptQuestion, Option, QuestionCategory, QuestionSnapshot
from mooc.exams.services.answers import answer_save
from mooc.exams.services.attempts import attempt_start
from mooc.exams.services.clock import attempt_remaining_seconds
from mooc.exams.services.submission import attempt_submit
from mooc.exams.tests.factories import ExamFactory, make_bank
from mooc.exams.tests.helpers import T0, right_positions, wrong_positions
from mooc.learning.models import Material, Section
from mooc.learning.services import material_complete

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def refusal(**kwargs: object) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        attempt_start(**kwargs)  # type: ignore[arg-type]
    return caught.value


def answer_all(attempt: Attempt, positions: dict[int, int], now: dt.datetime) -> None:
    for seq, (position, option) in enumerate(positions.items(), start=1):
        answer_save(
            attempt_id=attempt.pk,
            user=attempt.user,
            position=position,
            option_positions=[option],
            client_seq=seq,
            now=now,
        )


def test_an_attempt_draws_n_of_the_bank_and_points_at_their_snapshots() -> None:
    course = CourseFactory.create()
    bank = make_bank(course, size=12)
    exam = ExamFactory.create(course=course, question_count=5)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)

    attempt = attempt_start(exam=exam, user=user, now=T0)

    questions = list(AttemptQuestion.objects.filter(attempt=attempt))
    assert [q.position for q in questions] == [0, 1, 2, 3, 4]
    assert len({q.question_id for q in questions}) == 5
    assert {q.question_id for q in questions} <= {q.pk for q in bank}
    assert all(q.option_count == 4 for q in questions)
    assert sorted(q.snapshot_id for q in questions) == list(
        QuestionSnapshot.objects.order_by("pk").values_list("pk", flat=True)
    )
    assert all(sorted(q.option_order) == [0, 1, 2, 3] for q in questions)
    assert attempt.number == 1
    assert attempt.deadline == T0 + dt.timedelta(minutes=30)


def test_inactive_questions_and_other_categories_are_not_drawn() -> None:
    course = CourseFactory.create()
    bank = make_bank(course, size=6)
    wanted = QuestionCategory.objects.create(course=course, name="Etika")
    for question in bank[:3]:
        question.category = wanted
        question.save(update_fields=["category"])
    bank[0].is_active = False
    bank[0].save(update_fields=["is_active"])
    exam = ExamFactory.create(course=course, question_count=10)
    exam.categories.add(wanted)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)

    attempt = attempt_start(exam=exam, user=user, now=T0)

    drawn = set(AttemptQuestion.objects.filter(attempt=attempt).values_list("question", flat=True))
    assert drawn == {bank[1].pk, bank[2].pk}


def test_refreshing_or_another_device_resumes_the_same_attempt_and_deadline() -> None:
    course = CourseFactory.create()
    make_bank(course)
    exam = ExamFactory.create(course=course)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    first = attempt_start(exam=exam, user=user, now=T0)

    again = attempt_start(exam=exam, user=user, now=T0 + dt.timedelta(minutes=12))

    assert again.pk == first.pk
    assert again.deadline == first.deadline
    assert attempt_remaining_seconds(again, now=T0 + dt.timedelta(minutes=12)) == 18 * 60
    assert attempt_remaining_seconds(again, now=T0 + dt.timedelta(minutes=31)) == 0
    assert Attempt.objects.count() == 1


def test_the_order_of_questions_and_options_is_fixed_per_attempt() -> None:
    course = CourseFactory.create()
    make_bank(course, size=8)
    exam = ExamFactory.create(course=course, question_count=8)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    attempt = attempt_start(exam=exam, user=user, now=T0, rng=random.Random(4))

    def layout() -> list[tuple[int | None, list[str]]]:
        return [
            (q.question_id, [o.text for o in q.shown_options])
            for q in AttemptQuestion.objects.filter(attempt=attempt).select_related("snapshot")
        ]

    shown = layout()
    attempt_start(exam=exam, user=user, now=T0 + dt.timedelta(minutes=1))

    assert layout() == shown
    # Shuffled: with 8 questions of 4 options, the right answer is not always first.
    assert any(options[0] != "benar" for _, options in shown)


def test_without_shuffling_the_bank_order_is_kept() -> None:
    course = CourseFactory.create()
    bank = make_bank(course, size=4)
    exam = ExamFactory.create(
        course=course, question_count=4, shuffle_questions=False, shuffle_options=False
    )
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)

    attempt = attempt_start(exam=exam, user=user, now=T0)

    questions = list(AttemptQuestion.objects.filter(attempt=attempt).select_related("snapshot"))
    assert [q.question_id for q in questions] == [q.pk for q in bank]
    assert [o.text for o in questions[0].shown_options] == [
        "benar",
        "salah a",
        "salah b",
        "salah c",
    ]


def test_a_learner_not_enrolled_cannot_start() -> None:
    course = CourseFactory.create()
    make_bank(course)
    error = refusal(exam=ExamFactory.create(course=course), user=UserFactory.create(), now=T0)
    assert error.code == "not_enrolled"
    assert error.message == "You are not enrolled in this course."


def test_the_availability_window_is_enforced() -> None:
    course = CourseFactory.create()
    make_bank(course)
    exam = ExamFactory.create(
        course=course, available_from=T0, available_until=T0 + dt.timedelta(days=1)
    )
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)

    assert refusal(exam=exam, user=user, now=T0 - dt.timedelta(minutes=1)).code == "not_open"
    assert refusal(exam=exam, user=user, now=T0 + dt.timedelta(days=2)).code == "closed"
    assert attempt_start(exam=exam, user=user, now=T0).number == 1


def test_an_exam_with_an_empty_bank_cannot_start() -> None:
    course = CourseFactory.create()
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    assert refusal(exam=ExamFactory.create(course=course), user=user, now=T0).code == "no_questions"


def test_max_attempts_are_enforced() -> None:
    course = CourseFactory.create()
    make_bank(course)
    exam = ExamFactory.create(course=course, max_attempts=2)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    for minute in (0, 40):
        attempt = attempt_start(exam=exam, user=user, now=T0 + dt.timedelta(minutes=minute))
        attempt_submit(attempt_id=attempt.pk, user=user, now=T0 + dt.timedelta(minutes=minute + 1))

    error = refusal(exam=exam, user=user, now=T0 + dt.timedelta(hours=2))
    assert error.code == "no_attempts_left"


def test_the_wait_between_attempts_is_enforced() -> None:
    course = CourseFactory.create()
    make_bank(course)
    exam = ExamFactory.create(course=course, wait_minutes_between_attempts=60)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    attempt = attempt_start(exam=exam, user=user, now=T0)
    attempt_submit(attempt_id=attempt.pk, user=user, now=T0 + dt.timedelta(minutes=10))

    error = refusal(exam=exam, user=user, now=T0 + dt.timedelta(minutes=40))
    assert error.code == "wait"
    assert error.message == "You can try again in 30 minutes."
    second = attempt_start(exam=exam, user=user, now=T0 + dt.timedelta(minutes=70))
    assert second.number == 2


def test_retaking_after_passing_is_refused_by_default() -> None:
    course = CourseFactory.create()
    make_bank(course)
    exam = ExamFactory.create(course=course)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    attempt = attempt_start(exam=exam, user=user, now=T0)
    answer_all(attempt, right_positions(attempt), T0)
    attempt_submit(attempt_id=attempt.pk, user=user, now=T0)

    assert refusal(exam=exam, user=user, now=T0 + dt.timedelta(hours=1)).code == "already_passed"


def test_retaking_after_passing_is_possible_when_the_exam_allows_it() -> None:
    course = CourseFactory.create()
    make_bank(course)
    exam = ExamFactory.create(course=course, allow_retake_after_pass=True)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    attempt = attempt_start(exam=exam, user=user, now=T0)
    answer_all(attempt, right_positions(attempt), T0)
    attempt_submit(attempt_id=attempt.pk, user=user, now=T0)

    assert attempt_start(exam=exam, user=user, now=T0 + dt.timedelta(hours=1)).number == 2


def test_materials_must_be_completed_first_when_the_exam_requires_it() -> None:
    course = CourseFactory.create()
    make_bank(course)
    section = Section.objects.create(course=course, title="Bagian 1", order=1)
    material = Material.objects.create(section=section, title="Materi 1", body="<p>Isi</p>")
    exam = ExamFactory.create(course=course, require_materials_completed=True)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)

    assert refusal(exam=exam, user=user, now=T0).code == "materials_incomplete"
    material_complete(user=user, material=material)
    assert attempt_start(exam=exam, user=user, now=T0).number == 1


def test_an_expired_running_attempt_is_graded_when_the_learner_comes_back() -> None:
    course = CourseFactory.create()
    make_bank(course)
    exam = ExamFactory.create(course=course, max_attempts=1)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    attempt = attempt_start(exam=exam, user=user, now=T0)

    error = refusal(exam=exam, user=user, now=T0 + dt.timedelta(hours=1))

    assert error.code == "no_attempts_left"
    attempt.refresh_from_db()
    assert attempt.state == "graded"
    assert attempt.submitted_at == attempt.deadline


def test_a_bank_edit_after_the_attempt_changes_nothing_in_it() -> None:
    course = CourseFactory.create()
    bank = make_bank(course, size=5)
    exam = ExamFactory.create(course=course)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    attempt = attempt_start(exam=exam, user=user, now=T0)
    answer_all(attempt, right_positions(attempt), T0)
    graded = attempt_submit(attempt_id=attempt.pk, user=user, now=T0)
    before = [
        (q.text, [(o.text, o.weight) for o in q.shown_options])
        for q in AttemptQuestion.objects.filter(attempt=attempt).select_related("snapshot")
    ]

    for question in bank:
        question.text = "<p>Diubah</p>"
        question.save(update_fields=["text"])
    Option.objects.filter(question__course=course, text="benar").update(weight=Decimal(0))
    Option.objects.filter(question__course=course, text="salah a").update(weight=Decimal(100))
    bank[0].delete()

    after = [
        (q.text, [(o.text, o.weight) for o in q.shown_options])
        for q in AttemptQuestion.objects.filter(attempt=attempt).select_related("snapshot")
    ]
    assert after == before
    graded.refresh_from_db()
    assert graded.score == Decimal("100.00")
    assert wrong_positions(attempt) != right_positions(attempt)
