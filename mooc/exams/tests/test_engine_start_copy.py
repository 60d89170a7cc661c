"""Starting an exam, the copy: every field of the drawn questions and options lands in
the attempt (on PostgreSQL one statement copies them inside the database, elsewhere
Python does), a bank edit racing the start never leaves a half-copied attempt, and
the start keeps to a fixed number of queries."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Course
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.core.errors import ServiceError
from mooc.exams.models import (
    Attempt,
    AttemptOption,
    AttemptQuestion,
    ExamCategoryQuota,
    Option,
    Question,
    QuestionCategory,
)
from mooc.exams.services import attempts
from mooc.exams.services.attempts import attempt_start
from mooc.exams.tests.factories import ExamFactory, make_bank
from mooc.exams.tests.helpers import T0

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def add_question(
    course: Course,
    key: str,
    options: list[tuple[str, str, str]],
    *,
    qtype: str = "single",
    category: QuestionCategory | None = None,
    **fields: Any,
) -> Question:
    """A question with `options` as (text, weight, feedback), in this order."""
    question = Question.objects.create(
        course=course, key=key, qtype=qtype, text=f"<p>{key}</p>", category=category, **fields
    )
    Option.objects.bulk_create(
        Option(question=question, text=text, weight=Decimal(weight), feedback=feedback, order=i)
        for i, (text, weight, feedback) in enumerate(options)
    )
    return question


def layout(attempt: Attempt) -> list[tuple[int | None, list[str]]]:
    return [
        (q.question_id, [o.text for o in q.options.all()])
        for q in AttemptQuestion.objects.filter(attempt=attempt).prefetch_related("options")
    ]


def test_the_copy_holds_every_field_of_the_question_and_its_options() -> None:
    course = CourseFactory.create()
    question = add_question(
        course,
        "gambar",
        [
            ("<p>Benar</p>", "66.66667", "<p>Tepat.</p>"),
            ("<p>Juga benar</p>", "33.33333", ""),
            ("<p>Salah</p>", "-50", "<p>Bukan.</p>"),
        ],
        qtype="multiple",
        general_feedback="<p>Lihat modul 2.</p>",
    )
    # The image's name, as a stored upload leaves it; the copy needs no file.
    Question.objects.filter(pk=question.pk).update(image="questions/peta.png", version=3)
    exam = ExamFactory.create(course=course, question_count=1, shuffle_options=False)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)

    attempt = attempt_start(exam=exam, user=user, now=T0)

    copy = AttemptQuestion.objects.get(attempt=attempt)
    assert (copy.position, copy.question_id, copy.question_version) == (0, question.pk, 3)
    assert (copy.text, copy.image.name, copy.qtype) == (
        "<p>gambar</p>",
        "questions/peta.png",
        "multiple",
    )
    assert (copy.general_feedback, copy.max_points, copy.option_count) == (
        "<p>Lihat modul 2.</p>",
        Decimal("1.00"),
        3,
    )
    options = list(copy.options.values_list("position", "text", "weight", "feedback"))
    assert options == [
        (0, "<p>Benar</p>", Decimal("66.66667"), "<p>Tepat.</p>"),
        (1, "<p>Juga benar</p>", Decimal("33.33333"), ""),
        (2, "<p>Salah</p>", Decimal("-50.00000"), "<p>Bukan.</p>"),
    ]


def test_a_question_without_an_image_copies_an_empty_name() -> None:
    course = CourseFactory.create()
    make_bank(course, size=1)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)

    attempt = attempt_start(
        exam=ExamFactory.create(course=course, question_count=1), user=user, now=T0
    )

    assert AttemptQuestion.objects.get(attempt=attempt).image.name == ""


def test_true_false_keeps_its_order_while_other_options_are_shuffled() -> None:
    course = CourseFactory.create()
    make_bank(course, size=6)
    for i in range(3):
        add_question(
            course, f"tf{i}", [("Benar", "100", ""), ("Salah", "0", "")], qtype="truefalse"
        )
    exam = ExamFactory.create(course=course, question_count=9)
    shuffled = False

    for seed in range(4):
        user = UserFactory.create()
        EnrollmentFactory.create(user=user, course=course)
        attempt = attempt_start(exam=exam, user=user, now=T0, rng=random.Random(seed))
        shown = layout(attempt)
        assert [texts for _, texts in shown if texts[0] in {"Benar", "Salah"}] == [
            ["Benar", "Salah"]
        ] * 3
        others = [texts for _, texts in shown if texts[0] not in {"Benar", "Salah"}]
        assert all(sorted(texts) == ["benar", "salah a", "salah b", "salah c"] for texts in others)
        shuffled |= any(texts[0] != "benar" for texts in others)
        positions = AttemptOption.objects.filter(attempt_question__attempt=attempt)
        assert sorted(set(positions.values_list("position", flat=True))) == [0, 1, 2, 3]

    assert shuffled


def test_without_shuffling_questions_follow_their_category_name_then_id() -> None:
    course = CourseFactory.create()
    later = QuestionCategory.objects.create(course=course, name="Pelayanan")
    earlier = QuestionCategory.objects.create(course=course, name="Etika")
    one = [("benar", "100", ""), ("salah", "0", "")]
    p1 = add_question(course, "p1", one, category=later)
    e1 = add_question(course, "e1", one, category=earlier)
    none1 = add_question(course, "n1", one)
    p2 = add_question(course, "p2", one, category=later)
    e2 = add_question(course, "e2", one, category=earlier)
    exam = ExamFactory.create(course=course, question_count=5, shuffle_questions=False)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)

    attempt = attempt_start(exam=exam, user=user, now=T0, rng=random.Random(7))

    assert [pk for pk, _texts in layout(attempt)] == [none1.pk, e1.pk, e2.pk, p1.pk, p2.pk]
    assert list(
        AttemptQuestion.objects.filter(attempt=attempt).values_list("position", flat=True)
    ) == [0, 1, 2, 3, 4]


def test_a_question_without_options_is_copied_with_none() -> None:
    course = CourseFactory.create()
    add_question(course, "kosong", [])
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)

    attempt = attempt_start(
        exam=ExamFactory.create(course=course, question_count=1), user=user, now=T0
    )

    copy = AttemptQuestion.objects.get(attempt=attempt)
    assert (copy.text, copy.option_count, copy.options.count()) == ("<p>kosong</p>", 0, 0)


def test_an_option_deleted_during_the_start_makes_it_draw_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    course = CourseFactory.create()
    make_bank(course, size=3)
    exam = ExamFactory.create(course=course, question_count=3)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    draw = attempts._draw
    draws: list[Any] = []

    def draw_then_edit(**kwargs: Any) -> Any:
        drawn = draw(**kwargs)
        if not draws:  # an admin deletes an option right after the first draw read it
            Option.objects.filter(pk=drawn[0].option_ids[0]).delete()
        draws.append(drawn)
        return drawn

    monkeypatch.setattr(attempts, "_draw", draw_then_edit)

    attempt = attempt_start(exam=exam, user=user, now=T0)

    assert len(draws) == 2
    assert Attempt.objects.get().pk == attempt.pk and attempt.number == 1
    assert AttemptQuestion.objects.filter(attempt=attempt).count() == 3
    for question in AttemptQuestion.objects.filter(attempt=attempt):
        assert question.options.count() == question.option_count
    assert AttemptOption.objects.filter(attempt_question__attempt=attempt).count() == 11


def test_a_bank_changing_on_every_try_refuses_as_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    course = CourseFactory.create()
    make_bank(course, size=2)
    exam = ExamFactory.create(course=course, question_count=2)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    draw = attempts._draw

    def draw_then_edit(**kwargs: Any) -> Any:
        drawn = draw(**kwargs)
        Option.objects.filter(pk=drawn[0].option_ids[0]).delete()
        return drawn

    monkeypatch.setattr(attempts, "_draw", draw_then_edit)

    with pytest.raises(ServiceError) as caught:
        attempt_start(exam=exam, user=user, now=T0)

    assert caught.value.code == "busy"
    assert not Attempt.objects.exists()
    assert not AttemptQuestion.objects.exists()


# --- Query counts -----------------------------------------------------------------------------


def statements(call: Any) -> list[str]:
    """The statements `call` runs, without the savepoints of the test's transaction."""
    with CaptureQueriesContext(connection) as queries:
        call()
    return [
        q["sql"]
        for q in queries
        if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"))
    ]


# The learner's attempts, the enrolment, the exam's quotas and categories, the pool's ids,
# the drawn questions' option ids, the attempt; then the copy: one statement on
# PostgreSQL, elsewhere the questions' and options' rows read and inserted.
START_STATEMENTS = 7 if connection.vendor == "postgresql" else 10


@pytest.mark.parametrize("quotas", [False, True])
def test_starting_takes_a_fixed_number_of_queries(quotas: bool) -> None:
    course = CourseFactory.create()
    bank = make_bank(course, size=30)
    exam = ExamFactory.create(course=course, question_count=20)
    if quotas:
        category = QuestionCategory.objects.create(course=course, name="Etika")
        Question.objects.filter(pk__in=[q.pk for q in bank[:25]]).update(category=category)
        ExamCategoryQuota.objects.create(exam=exam, category=category, count=20)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    started: list[Attempt] = []

    run = statements(lambda: started.append(attempt_start(exam=exam, user=user, now=T0)))

    assert len(run) == START_STATEMENTS, run
    assert AttemptOption.objects.filter(attempt_question__attempt=started[0]).count() == 80
    # Resuming the running attempt (a refresh, another tab) reads the attempts only.
    assert len(statements(lambda: attempt_start(exam=exam, user=user, now=T0))) == 1
