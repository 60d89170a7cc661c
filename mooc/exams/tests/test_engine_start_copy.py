"""Starting an exam, the snapshots: every field of a drawn question and its options is
frozen in a shared snapshot of its version, the attempt keeps only its draw and order,
a bank edit (before or racing the start) never changes a started attempt, and the
start keeps to a fixed number of queries."""

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
    AttemptQuestion,
    ExamCategoryQuota,
    Option,
    Question,
    QuestionCategory,
    QuestionSnapshot,
)
from mooc.exams.selectors.banks import question_get
from mooc.exams.services import snapshots
from mooc.exams.services.answers import answer_save
from mooc.exams.services.attempts import attempt_start
from mooc.exams.services.banks import question_content, question_version_bump_if_changed
from mooc.exams.services.submission import attempt_submit
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
        (q.question_id, [o.text for o in q.shown_options])
        for q in AttemptQuestion.objects.filter(attempt=attempt).select_related("snapshot")
    ]


def test_the_snapshot_holds_every_field_of_the_question_and_its_options() -> None:
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
    # The image's name, as a stored upload leaves it; the snapshot needs no file.
    Question.objects.filter(pk=question.pk).update(image="questions/peta.png", version=3)
    exam = ExamFactory.create(course=course, question_count=1, shuffle_options=False)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)

    attempt = attempt_start(exam=exam, user=user, now=T0)

    copy = AttemptQuestion.objects.select_related("snapshot").get(attempt=attempt)
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
    assert (copy.snapshot.question_id, copy.snapshot.question_version) == (question.pk, 3)
    options = [(o.position, o.text, o.weight, o.feedback) for o in copy.shown_options]
    assert options == [
        (0, "<p>Benar</p>", Decimal("66.66667"), "<p>Tepat.</p>"),
        (1, "<p>Juga benar</p>", Decimal("33.33333"), ""),
        (2, "<p>Salah</p>", Decimal("-50.00000"), "<p>Bukan.</p>"),
    ]


def test_a_question_without_an_image_has_an_empty_name() -> None:
    course = CourseFactory.create()
    make_bank(course, size=1)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)

    attempt = attempt_start(
        exam=ExamFactory.create(course=course, question_count=1), user=user, now=T0
    )

    question = AttemptQuestion.objects.select_related("snapshot").get(attempt=attempt)
    assert question.image.name == ""


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
        for order in AttemptQuestion.objects.filter(attempt=attempt).values_list(
            "option_order", flat=True
        ):
            assert sorted(order) == list(range(len(order)))

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


def test_a_question_without_options_has_none() -> None:
    course = CourseFactory.create()
    add_question(course, "kosong", [])
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)

    attempt = attempt_start(
        exam=ExamFactory.create(course=course, question_count=1), user=user, now=T0
    )

    copy = AttemptQuestion.objects.select_related("snapshot").get(attempt=attempt)
    assert (copy.text, copy.option_count, copy.shown_options) == ("<p>kosong</p>", 0, [])


def _learner_at(course: Course) -> Any:
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    return user


def test_attempts_that_draw_the_same_version_share_its_snapshot() -> None:
    course = CourseFactory.create()
    make_bank(course, size=5)
    exam = ExamFactory.create(course=course, question_count=5)

    for _learner in range(3):
        attempt_start(exam=exam, user=_learner_at(course), now=T0)

    # Five snapshots for fifteen attempt questions, sixty options shown: nothing copied.
    assert QuestionSnapshot.objects.count() == 5
    assert AttemptQuestion.objects.count() == 15
    snapshots.snapshot_cache_clear()  # another node, which has not seen them yet
    attempt_start(exam=exam, user=_learner_at(course), now=T0)
    assert QuestionSnapshot.objects.count() == 5


def test_a_bank_edit_after_starts_changes_no_attempt_and_the_next_start_shows_it() -> None:
    course = CourseFactory.create()
    bank = make_bank(course, size=3)
    exam = ExamFactory.create(course=course, question_count=3, shuffle_options=False)
    first_user = _learner_at(course)
    first = attempt_start(exam=exam, user=first_user, now=T0)
    before = layout(first)
    grading_before = [
        (q.snapshot_id, q.weights)
        for q in AttemptQuestion.objects.filter(attempt=first).select_related("snapshot")
    ]

    # An admin edits every question as the admin does: texts, weights, then the bump.
    for question in bank:
        before_edit = question_content(question_get(pk=question.pk))
        Question.objects.filter(pk=question.pk).update(text="<p>Diubah</p>")
        Option.objects.filter(question=question, text="benar").update(
            text="diubah", weight=Decimal(0)
        )
        assert question_version_bump_if_changed(question=question, before=before_edit)
    second = attempt_start(exam=exam, user=_learner_at(course), now=T0)

    assert layout(first) == before
    assert [
        (q.snapshot_id, q.weights)
        for q in AttemptQuestion.objects.filter(attempt=first).select_related("snapshot")
    ] == grading_before
    shown_now = AttemptQuestion.objects.filter(attempt=second).select_related("snapshot")
    assert all(q.text == "<p>Diubah</p>" and q.question_version == 2 for q in shown_now)
    assert all("diubah" in [o.text for o in q.shown_options] for q in shown_now)
    assert QuestionSnapshot.objects.count() == 6
    # The first attempt is graded on what it showed: "benar" still earns the points.
    for shown in AttemptQuestion.objects.filter(attempt=first).select_related("snapshot"):
        right = next(o.position for o in shown.shown_options if o.text == "benar")
        answer_save(
            attempt_id=first.pk,
            user=first_user,
            position=shown.position,
            option_positions=[right],
            client_seq=1,
            now=T0,
        )
    assert attempt_submit(attempt_id=first.pk, user=first_user, now=T0).score == Decimal(100)


def test_a_question_deleted_during_the_start_makes_it_draw_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    course = CourseFactory.create()
    make_bank(course, size=4)
    exam = ExamFactory.create(course=course, question_count=3)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    make = snapshots._snapshot_make
    calls: list[int] = []

    def delete_then_make(question_id: int, version: int) -> Any:
        if not calls:  # an admin deletes a drawn question right after the draw read it
            Question.objects.filter(pk=question_id).delete()
        calls.append(question_id)
        return make(question_id, version)

    monkeypatch.setattr(snapshots, "_snapshot_make", delete_then_make)

    attempt = attempt_start(exam=exam, user=user, now=T0)

    assert Attempt.objects.get().pk == attempt.pk and attempt.number == 1
    shown = AttemptQuestion.objects.filter(attempt=attempt)
    assert shown.count() == 3 and calls[0] not in {q.question_id for q in shown}


def test_an_edit_between_reading_and_snapshotting_makes_it_draw_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    course = CourseFactory.create()
    make_bank(course, size=1)
    exam = ExamFactory.create(course=course, question_count=1)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    make = snapshots._snapshot_make
    calls: list[int] = []

    def edit_then_make(question_id: int, version: int) -> Any:
        if not calls:  # the version read by the draw is already gone
            Question.objects.filter(pk=question_id).update(text="<p>baru</p>", version=9)
        calls.append(version)
        return make(question_id, version)

    monkeypatch.setattr(snapshots, "_snapshot_make", edit_then_make)

    attempt = attempt_start(exam=exam, user=user, now=T0)

    assert calls == [1, 9]
    question = AttemptQuestion.objects.select_related("snapshot").get(attempt=attempt)
    assert (question.text, question.question_version) == ("<p>baru</p>", 9)
    assert QuestionSnapshot.objects.count() == 1


def test_a_bank_changing_on_every_try_refuses_as_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    course = CourseFactory.create()
    make_bank(course, size=2)
    exam = ExamFactory.create(course=course, question_count=2)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)

    def always_changed(question_id: int, version: int) -> Any:
        raise snapshots.SnapshotUnavailable

    monkeypatch.setattr(snapshots, "_snapshot_make", always_changed)

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


# The learner's attempts, the enrolment, the exam's quotas and categories, the pool (its
# ids with their versions, one query), then two inserts: the attempt, its twenty draw rows.
START_STATEMENTS = 6


@pytest.mark.parametrize("quotas", [False, True])
def test_starting_takes_a_fixed_number_of_queries(quotas: bool) -> None:
    course = CourseFactory.create()
    bank = make_bank(course, size=30)
    exam = ExamFactory.create(course=course, question_count=20)
    if quotas:
        category = QuestionCategory.objects.create(course=course, name="Etika")
        Question.objects.filter(pk__in=[q.pk for q in bank[:25]]).update(category=category)
        ExamCategoryQuota.objects.create(exam=exam, category=category, count=20)
    # Another learner's start made the snapshots of every question this node knows.
    for question in bank:
        snapshots.snapshots_for({question.pk: question.version})
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    started: list[Attempt] = []

    run = statements(lambda: started.append(attempt_start(exam=exam, user=user, now=T0)))

    assert len(run) == START_STATEMENTS, run
    assert AttemptQuestion.objects.filter(attempt=started[0]).count() == 20
    # Resuming the running attempt (a refresh, another tab) reads the attempts only.
    assert len(statements(lambda: attempt_start(exam=exam, user=user, now=T0))) == 1


def test_the_first_start_after_an_edit_makes_each_snapshot_once() -> None:
    course = CourseFactory.create()
    make_bank(course, size=20)
    exam = ExamFactory.create(course=course, question_count=20)
    first, second = _learner_at(course), _learner_at(course)

    run = statements(lambda: attempt_start(exam=exam, user=first, now=T0))

    # One look-up of the snapshots, then per question: its row, its options, the version
    # check, the insert and the id by digest.
    assert len(run) == START_STATEMENTS + 1 + 20 * 5, len(run)
    assert QuestionSnapshot.objects.count() == 20
    run = statements(lambda: attempt_start(exam=exam, user=second, now=T0))
    assert len(run) == START_STATEMENTS
