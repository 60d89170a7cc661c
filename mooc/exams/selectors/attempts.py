"""Reads for the learner's exam pages: landing, taking, result, history, player slots.

Pages shown before an attempt is graded get option texts only: the snapshots' weights
and feedback (the answer key) never reach them (`_TakingContent` keeps texts only), so
no template can leak them by accident.
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet, Subquery

from mooc.accounts.models import User
from mooc.catalog.models import Course
from mooc.exams.grading import question_points
from mooc.exams.models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    Exam,
    QuestionSnapshot,
    QuestionType,
    review_shows_answers,
)

# Exam id → (exam with its course, when read). Every exam page of every learner reads
# the same exam and course: on exam day a process would read them thousands of times a
# minute (a three-table join of wide rows on every question, submit and result page).
# Kept EXAM_CACHE_SECONDS; a save or delete of an exam or course in this process
# forgets them at once (`exam_cache_forget`, connected in apps.py), other processes and
# nodes see the change within those seconds.
_EXAMS: dict[int, tuple[Exam, float]] = {}
_EXAMS_MAX = 1_000


def exam_cache_forget(**_kwargs: object) -> None:
    """Forget the cached exams (a signal receiver: an exam or a course changed)."""
    _EXAMS.clear()


def exam_get(*, exam_id: int) -> Exam | None:
    """An exam with its course, at most EXAM_CACHE_SECONDS old. Each caller gets its
    own copy of the exam (the course is shared: pages only read it)."""
    ttl = settings.EXAM_CACHE_SECONDS
    if ttl <= 0:
        return Exam.objects.select_related("course").filter(pk=exam_id).first()
    now = time.monotonic()
    cached = _EXAMS.get(exam_id)
    if cached is None or now - cached[1] > ttl:
        exam = Exam.objects.select_related("course").filter(pk=exam_id).first()
        if exam is None:
            return None
        if len(_EXAMS) >= _EXAMS_MAX:
            _EXAMS.clear()
        cached = _EXAMS[exam_id] = (exam, now)
    return copy.copy(cached[0])


def exam_attempts_for_user(*, exam: Exam, user: User) -> list[Attempt]:
    """The learner's attempts at `exam`, oldest first (no questions loaded), with what
    the start rules read of them (`services.attempts`: they may be passed on)."""
    return list(
        Attempt.objects.filter(exam=exam, user=user)
        .only(
            "id",
            "exam_id",
            "user_id",
            "number",
            "state",
            "score",
            "passed",
            "deadline",
            "started_at",
            "submitted_at",
            "graded_at",
        )
        .order_by("number")
    )


def attempt_get_for_user(*, attempt_id: int, user: User) -> Attempt | None:
    """The learner's own attempt with its exam and course (`exam_get`); None for anyone
    else's."""
    attempt = Attempt.objects.filter(pk=attempt_id, user=user).order_by("pk").first()
    if attempt is None:
        return None
    exam = exam_get(exam_id=attempt.exam_id)
    if exam is not None:
        attempt.exam = exam
    return attempt


@dataclass(frozen=True)
class GridItem:
    number: int  # 1-based, as shown ("Soal 3")
    answered: bool  # a non-empty answer is stored on the server


def attempt_grid(*, attempt: Attempt) -> list[GridItem]:
    """Every question of the attempt and whether the server holds an answer (one query)."""
    rows = (
        AttemptQuestion.objects.filter(attempt=attempt)
        .order_by("position")
        .values_list("position", "answer__option_positions")
    )
    return [GridItem(number=position + 1, answered=bool(chosen)) for position, chosen in rows]


@dataclass(frozen=True)
class TakingQuestion:
    """One question as the learner taking the exam may see it: no weight, no feedback."""

    number: int  # 1-based
    text: str  # sanitized rich text (copied from the bank's RichTextField)
    has_image: bool
    multiple: bool
    options: list[tuple[int, str]]  # (position, sanitized text), in display order
    chosen: frozenset[int]  # the positions the server holds as the answer


@dataclass(frozen=True, slots=True)
class _TakingContent:
    """What the taking page shows of one snapshot: never its weights or feedback."""

    text: str
    has_image: bool
    multiple: bool
    option_texts: tuple[str, ...]  # in the snapshot's (bank) order


# Snapshot id → what the taking page shows of it. Snapshots never change, so a process
# may keep them as long as it likes: on exam day every learner of an exam draws from
# the same few hundred, and the page reads only the attempt's own rows. Bounded (cleared
# when full).
_TAKING: dict[int, _TakingContent] = {}
_TAKING_MAX = 20_000


def taking_cache_clear() -> None:
    """Forget the cached snapshot texts (tests that rebuild the database between runs)."""
    _TAKING.clear()


def _taking_contents(snapshot_ids: set[int]) -> dict[int, _TakingContent]:
    missing = [pk for pk in snapshot_ids if pk not in _TAKING]
    if missing:
        if len(_TAKING) > _TAKING_MAX:
            _TAKING.clear()
        rows = (
            QuestionSnapshot.objects.filter(pk__in=missing)
            .order_by()
            .values_list("id", "text", "image", "qtype", "options")
        )
        for pk, text, image, qtype, options in rows:
            _TAKING[pk] = _TakingContent(
                text=text,
                has_image=bool(image),
                multiple=qtype == QuestionType.MULTIPLE,
                # Texts only: the weights and feedback are the answer key.
                option_texts=tuple(option["text"] for option in options),
            )
    return {pk: _TAKING[pk] for pk in snapshot_ids}


def attempt_questions_for_taking(*, attempt: Attempt) -> list[TakingQuestion]:
    """Every question of a running attempt, in order, with options and the stored
    answer. One query of plain rows (the attempt's draw and answers): the texts come
    from the snapshots, cached per process (`_TAKING`), read only the first time."""
    questions = list(
        AttemptQuestion.objects.filter(attempt=attempt)
        .order_by("position")
        .values_list("position", "snapshot_id", "option_order", "answer__option_positions")
    )
    contents = _taking_contents({row[1] for row in questions})
    taking = []
    for position, snapshot_id, option_order, chosen in questions:
        content = contents[snapshot_id]
        taking.append(
            TakingQuestion(
                number=position + 1,
                text=content.text,
                has_image=content.has_image,
                multiple=content.multiple,
                options=[
                    (shown, content.option_texts[index]) for shown, index in enumerate(option_order)
                ],
                chosen=frozenset(chosen or ()),
            )
        )
    return taking


def review_shows_key(*, attempt: Attempt) -> bool:
    """Whether the learner's result lists the questions with the key, per the exam's
    review mode (the web result page and the API ask the same). Right/wrong per
    question, with attempts left, gives the key away as surely as the key itself, so
    "score only", and "correct answers after passing" before a pass, show the score."""
    if attempt.state != AttemptState.GRADED:
        return False
    return review_shows_answers(attempt.exam.review_mode, passed=bool(attempt.passed))


def attempt_question_image_name(*, attempt_id: int, user: User, number: int) -> str:
    """The storage name of the picture of question `number` (1-based) of the learner's
    own attempt; "" for anyone else's attempt, a missing question or no picture."""
    name = (
        AttemptQuestion.objects.filter(
            attempt_id=attempt_id, attempt__user=user, position=number - 1
        )
        .values_list("snapshot__image", flat=True)
        .first()
    )
    return str(name or "")


@dataclass(frozen=True)
class ReviewOption:
    position: int
    text: str
    chosen: bool
    # The answer key: None, False and "" when the page may not show it.
    weight: Decimal | None
    is_key: bool
    feedback: str


@dataclass(frozen=True)
class ReviewRow:
    """One question of an attempt as the learner saw it, their choice and the points."""

    number: int  # 1-based
    text: str
    has_image: bool
    qtype_label: str
    general_feedback: str  # "" without the key
    options: list[ReviewOption]
    answered: bool
    saved_at: dt.datetime | None
    points: Decimal
    max_points: Decimal
    correct: bool  # full points


def attempt_review_rows(
    *, attempt: Attempt, with_key: bool, rounding: Callable[[Decimal], Decimal]
) -> list[ReviewRow]:
    """Every question of `attempt` with its options, the learner's choice and the points,
    for the learner's result page (the key only when the exam's review mode allows it)
    and the admin's attempt page (always with the key). One query whatever the
    number of questions. Each page writes points its own way, so `rounding` is applied
    to the points and the maximum (the result page drops trailing zeros, the admin
    shows two decimals)."""
    questions = (
        AttemptQuestion.objects.filter(attempt=attempt)
        .select_related("answer", "snapshot")
        .order_by("position")
    )
    rows = []
    for question in questions:
        options = question.shown_options
        answer = getattr(question, "answer", None)
        chosen = set(answer.option_positions) if answer is not None else set()
        points = question_points(
            qtype=question.qtype, weights=[o.weight for o in options], chosen=chosen
        )
        rows.append(
            ReviewRow(
                number=question.position + 1,
                text=question.text,
                has_image=bool(question.image),
                qtype_label=str(QuestionType(question.qtype).label),
                general_feedback=question.general_feedback if with_key else "",
                options=[
                    ReviewOption(
                        position=option.position,
                        text=option.text,
                        chosen=option.position in chosen,
                        weight=option.weight if with_key else None,
                        is_key=with_key and option.weight > 0,
                        feedback=option.feedback if with_key else "",
                    )
                    for option in options
                ],
                answered=bool(chosen),
                saved_at=answer.saved_at if answer is not None else None,
                points=rounding(points * question.max_points),
                max_points=rounding(question.max_points),
                correct=points >= 1,
            )
        )
    return rows


def attempt_history(*, user: User) -> QuerySet[Attempt]:
    """Every graded attempt of the learner, newest first, with exam and course (one query)."""
    return (
        Attempt.objects.filter(user=user, state=AttemptState.GRADED)
        .select_related("exam__course")
        .only(
            "id",
            "number",
            "submitted_at",
            "graded_at",
            "score",
            "passed",
            "exam__id",
            "exam__title",
            "exam__is_final",
            "exam__review_mode",
            "exam__course__id",
            "exam__course__title",
            "exam__course__slug",
        )
        .order_by("-submitted_at", "-id")
    )


# --- The course player's slots ----------------------------------------------------------------


class ExamState(enum.Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    PASSED = "passed"
    FAILED = "failed"


@dataclass
class ExamEntry:
    exam: Exam
    state: ExamState = ExamState.NOT_STARTED
    best_score: Decimal | None = None


@dataclass
class CourseExams:
    entries: list[ExamEntry] = field(default_factory=list)

    @property
    def final(self) -> ExamEntry | None:
        return next((entry for entry in self.entries if entry.exam.is_final), None)

    @property
    def pretest(self) -> ExamEntry | None:
        return next((entry for entry in self.entries if entry.exam.is_pretest), None)

    @property
    def after_materials(self) -> list[ExamEntry]:
        """Every exam but the pre-test, which the outline offers before the materials."""
        return [entry for entry in self.entries if not entry.exam.is_pretest]


def course_exams_for_user(*, course: Course, user: User | AnonymousUser | None) -> CourseExams:
    """The course's exams (final first) with the learner's state in each: one query
    (the learner's attempts are folded in as EXISTS / sub-selects)."""
    exams = Exam.objects.filter(course=course).only(
        "id", "title", "is_final", "is_pretest", "course_id", "section_id"
    )
    learner = user if user is not None and user.is_authenticated else None
    if learner is None:
        return CourseExams(
            [ExamEntry(exam=exam) for exam in exams.order_by("-is_final", "section_id", "title")]
        )
    mine = Attempt.objects.filter(exam=OuterRef("pk"), user_id=learner.pk)
    annotated = exams.annotate(
        any_passed=Exists(mine.filter(passed=True)),
        any_running=Exists(mine.filter(state=AttemptState.IN_PROGRESS)),
        any_graded=Exists(mine.filter(state=AttemptState.GRADED)),
        best=Subquery(mine.filter(score__isnull=False).order_by("-score").values("score")[:1]),
    ).order_by("-is_final", "section_id", "title", "id")
    entries = []
    for exam in annotated:
        if exam.any_passed:
            state = ExamState.PASSED
        elif exam.any_running:
            state = ExamState.IN_PROGRESS
        elif exam.any_graded:
            state = ExamState.FAILED
        else:
            state = ExamState.NOT_STARTED
        entries.append(ExamEntry(exam=exam, state=state, best_score=exam.best))
    return CourseExams(entries)


def pretest_score(*, user: User, course_id: int) -> Decimal | None:
    """The learner's graded pre-test score in the course (one attempt), or None."""
    return (
        Attempt.objects.filter(
            exam__course_id=course_id,
            exam__is_pretest=True,
            user=user,
            state=AttemptState.GRADED,
        )
        .order_by("number")
        .values_list("score", flat=True)
        .first()
    )
