"""Starting an attempt: the rules that allow it and drawing the questions.

An attempt stores only its draw: for each question, the immutable snapshot of the
version it drew (`services.snapshots`, shared with every attempt that drew the same
version), its place and its options' display order. Grading reads only the snapshots.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mooc.accounts.models import User
from mooc.catalog.models import Enrollment, EnrollmentResult
from mooc.core.db import prepared_cursor
from mooc.core.errors import ServiceError
from mooc.exams.models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    Exam,
    Question,
    QuestionType,
)
from mooc.exams.services.clock import attempt_expired
from mooc.exams.services.snapshots import SnapshotUnavailable, snapshots_for
from mooc.exams.services.submission import attempt_grade_if_expired
from mooc.learning.selectors import progress_by_course

logger = logging.getLogger(__name__)

# --- Starting ---------------------------------------------------------------------------------
#
# Starting is the exam day's peak: thousands of learners press "start" within a minute,
# so it reads with few, narrow queries (rows, not model instances) and writes two kinds
# of row: the attempt and its draw (no texts are copied: they live in shared snapshots).


def _refuse(message: str, code: str) -> ServiceError:
    return ServiceError(message, code=code)


def _when(moment: dt.datetime) -> str:
    """A moment as the learner reads it: local time (WIB by default), localized format."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _attempts_of(*, exam: Exam, user: User) -> list[Attempt]:
    """All the learner's attempts at `exam`, in no particular order: one query serves
    the running attempt, the rules on earlier ones and the next attempt number."""
    # .order_by(): nothing reading them needs an order, so skip Meta.ordering's sort.
    return list(Attempt.objects.filter(exam=exam, user=user).order_by())


def _check_course_and_window(*, exam: Exam, now: dt.datetime) -> None:
    """The rules that need no query: the course is published and running, the exam open."""
    course = exam.course
    # No exception for staff either: a draft course's attempts would count for real.
    if not course.is_published:
        raise _refuse(_("This course is not published."), "course_unpublished")
    if course.starts_at is not None and now < course.starts_at:
        raise _refuse(
            _("This course has not started yet: it runs from %(date)s.")
            % {"date": _when(course.starts_at)},
            "course_not_started",
        )
    if course.ends_at is not None and now >= course.ends_at:
        raise _refuse(
            _("This course ended on %(date)s.") % {"date": _when(course.ends_at)},
            "course_ended",
        )
    if exam.available_from and now < exam.available_from:
        raise _refuse(_("This exam is not open yet."), "not_open")
    if exam.available_until and now > exam.available_until:
        raise _refuse(_("This exam is closed."), "closed")


def _check_learner(
    *, exam: Exam, user: User, now: dt.datetime, previous: Sequence[Attempt]
) -> None:
    """The learner's own rules: enrolled, not passed yet, attempts and wait left,
    materials done. `previous` is every attempt of theirs at `exam`."""
    # One value, not the Enrollment row; .order_by(): at most one row per learner and course.
    results = list(
        Enrollment.objects.filter(user=user, course_id=exam.course_id)
        .order_by()
        .values_list("result", flat=True)[:1]
    )
    if not results:
        raise _refuse(_("You are not enrolled in this course."), "not_enrolled")

    if exam.is_pretest:
        _check_pretest(exam=exam, user=user, previous=previous)
        return
    already_passed = any(attempt.passed for attempt in previous) or (
        exam.is_final and results[0] == EnrollmentResult.PASSED
    )
    if already_passed and not exam.allow_retake_after_pass:
        raise _refuse(_("You have already passed this exam."), "already_passed")
    if exam.max_attempts is not None and len(previous) >= exam.max_attempts:
        raise _refuse(_("You have used all your attempts at this exam."), "no_attempts_left")
    if exam.wait_minutes_between_attempts and previous:
        finished = [attempt.submitted_at or attempt.graded_at for attempt in previous]
        last = max((f for f in finished if f is not None), default=None)
        if last is not None:
            allowed_at = last + dt.timedelta(minutes=exam.wait_minutes_between_attempts)
            if now < allowed_at:
                minutes = math.ceil((allowed_at - now).total_seconds() / 60)
                raise _refuse(
                    ngettext(
                        "You can try again in %(minutes)d minute.",
                        "You can try again in %(minutes)d minutes.",
                        minutes,
                    )
                    % {"minutes": minutes},
                    "wait",
                )
    if exam.require_materials_completed:
        progress = progress_by_course(user=user, course_ids=[exam.course_id])[exam.course_id]
        if progress.done < progress.total:
            raise _refuse(
                _("Complete all the materials of the course before starting this exam."),
                "materials_incomplete",
            )


def _check_pretest(*, exam: Exam, user: User, previous: Sequence[Attempt]) -> None:
    """A pre-test measures what the learner knew before the course: one attempt, and
    none once they have tried the final exam (it would measure the course, not before)."""
    if previous:
        raise _refuse(_("You have already taken the pre-test."), "pretest_taken")
    if Attempt.objects.filter(
        exam__course_id=exam.course_id, exam__is_final=True, user=user
    ).exists():
        raise _refuse(
            _("The pre-test is taken before the final test; you have already started it."),
            "pretest_after_final",
        )


def attempt_open_check(*, exam: Exam, now: dt.datetime) -> None:
    """Raise ServiceError when the course or the exam is not open at `now` (no queries:
    the start view asks this before a learner queues for a turn)."""
    _check_course_and_window(exam=exam, now=now)


def attempt_may_start(
    *, exam: Exam, user: User, now: dt.datetime, previous: Sequence[Attempt] | None = None
) -> None:
    """Raise ServiceError (with a code) when the learner may not start now; pages use it
    to explain a disabled start button with the same rules as `attempt_start`.
    `previous`: the learner's attempts at `exam` if the caller has read them already
    (`selectors.attempts.exam_attempts_for_user`)."""
    _check_course_and_window(exam=exam, now=now)
    if previous is None:
        previous = _attempts_of(exam=exam, user=user)
    _check_learner(exam=exam, user=user, now=now, previous=previous)


@dataclass(frozen=True, slots=True)
class _Drawn:
    """A drawn question as the attempt shows it: its bank id and version, the snapshot
    of that version, and the snapshot's option indexes in display order."""

    question_id: int
    version: int
    qtype: str
    snapshot_id: int
    option_order: list[int]


# The exam's quotas and its category filter in one round trip. A filter row comes back
# with a count of 0, which no quota has (a quota's count is at least 1). Plain SQL: the
# ORM's union of the two querysets took 0.76 ms of Python per start, this 0.1 ms.
_DRAW_RULES_SQL = """
SELECT category_id, count FROM exams_examcategoryquota WHERE exam_id = %(exam_id)s
UNION ALL
SELECT questioncategory_id, 0 FROM exams_exam_categories WHERE exam_id = %(exam_id)s
"""


def _draw_rules(exam: Exam) -> tuple[list[tuple[int, int]], list[int]]:
    """The exam's quotas as (category, count), by category id, and its category filter."""
    with prepared_cursor() as cursor:
        cursor.execute(_DRAW_RULES_SQL, {"exam_id": exam.pk})
        rows: list[tuple[int, int]] = cursor.fetchall()
    return (
        sorted(row for row in rows if row[1] > 0),
        [category_id for category_id, count in rows if count == 0],
    )


@dataclass(frozen=True, slots=True)
class _PoolRow:
    """An active question of the bank as a draw needs it."""

    version: int
    qtype: str
    sort_key: tuple[str, int]  # the bank's order: category name, then id


def _pool(exam: Exam, category_ids: list[int] | None) -> dict[int, _PoolRow]:
    """The exam's pool (the course's active questions, in `category_ids` if given) by
    id, in id order: one query of rows, which the draw and its versions both use."""
    rows = Question.objects.filter(course_id=exam.course_id, is_active=True)
    if category_ids:
        rows = rows.filter(category_id__in=category_ids)
    # .order_by("id"): a stable order, so a seeded rng draws the same; not
    # Meta.ordering, which joins the categories to sort by their name.
    return {
        pk: _PoolRow(version=version, qtype=qtype, sort_key=(category_name or "", pk))
        for pk, version, qtype, category_name in rows.order_by("id").values_list(
            "id", "version", "qtype", "category__name"
        )
    }


def _draw_by_quota(
    *, exam: Exam, quotas: list[tuple[int, int]], rng: random.Random
) -> tuple[list[int], dict[int, _PoolRow]]:
    """Ids drawn by the exam's category quotas, in random order, and their pool rows.

    Each category gives `count` of its active questions (fewer, with a warning for
    the admin, when it has fewer). `Exam.categories` plays no part here.
    """
    by_category: dict[int, list[int]] = {category_id: [] for category_id, _count in quotas}
    rows = (
        Question.objects.filter(
            course_id=exam.course_id, is_active=True, category_id__in=list(by_category)
        )
        .order_by("id")
        .values_list("id", "category_id", "version", "qtype", "category__name")
    )
    pool: dict[int, _PoolRow] = {}
    for pk, category_id, version, qtype, category_name in rows:
        by_category[category_id].append(pk)
        pool[pk] = _PoolRow(version=version, qtype=qtype, sort_key=(category_name or "", pk))
    chosen: list[int] = []
    for category_id, count in quotas:
        ids = by_category[category_id]
        if len(ids) < count:
            logger.warning(
                "exam %s draws %d questions from category %s, which has %d",
                exam.pk,
                count,
                category_id,
                len(ids),
            )
        chosen += rng.sample(ids, min(count, len(ids)))
    rng.shuffle(chosen)
    return chosen, pool


def _draw_question_ids(*, exam: Exam, rng: random.Random) -> tuple[list[int], dict[int, _PoolRow]]:
    """The ids of the questions of a new attempt, in random order, and the pool's rows."""
    quotas, category_ids = _draw_rules(exam)
    if quotas:
        chosen, pool = _draw_by_quota(exam=exam, quotas=quotas, rng=rng)
    else:
        pool = _pool(exam, category_ids)
        ids = list(pool)
        if len(ids) < exam.question_count:
            # The exam still runs, with what the bank has; the admin needs to know.
            logger.warning(
                "exam %s draws %d questions from a bank of %d",
                exam.pk,
                exam.question_count,
                len(ids),
            )
        chosen = rng.sample(ids, min(exam.question_count, len(ids)))
    if not chosen:
        raise _refuse(_("This exam has no questions yet."), "no_questions")
    return chosen, pool


def _draw(*, exam: Exam, rng: random.Random) -> list[_Drawn]:
    """The questions of a new attempt in display order, each with its snapshot and its
    options' display order: ids and numbers only, the texts stay in the snapshots."""
    chosen, pool = _draw_question_ids(exam=exam, rng=rng)
    snapshots = snapshots_for({pk: pool[pk].version for pk in chosen})
    if not exam.shuffle_questions:
        chosen.sort(key=lambda pk: pool[pk].sort_key)  # else the draw's order is random
    drawn = []
    for pk in chosen:
        order = list(range(snapshots[pk].option_count))
        # True/false keeps its "Benar, Salah" order; shuffling it only confuses.
        if exam.shuffle_options and pool[pk].qtype != QuestionType.TRUE_FALSE:
            rng.shuffle(order)
        drawn.append(
            _Drawn(
                question_id=pk,
                version=pool[pk].version,
                qtype=pool[pk].qtype,
                snapshot_id=snapshots[pk].id,
                option_order=order,
            )
        )
    return drawn


# The attempt's draw in one statement of plain arrays (PostgreSQL): building twenty
# model instances for bulk_create cost more Python than the rest of the start's writes.
_DRAW_INSERT_SQL = """
INSERT INTO exams_attemptquestion
    (attempt_id, position, snapshot_id, option_order, question_id, question_version, qtype,
     max_points, option_count)
SELECT %(attempt_id)s, drawn.n - 1, drawn.snapshot_id, drawn.option_order::jsonb,
       drawn.question_id, drawn.version, drawn.qtype, %(max_points)s, drawn.option_count
FROM unnest(%(snapshot_ids)s::bigint[], %(option_orders)s::text[], %(question_ids)s::bigint[],
            %(versions)s::int[], %(qtypes)s::text[], %(option_counts)s::int[])
     WITH ORDINALITY AS drawn (snapshot_id, option_order, question_id, version, qtype,
                               option_count, n)
"""


def _max_points_default() -> Decimal:
    """The model's default, which the ORM would fill in (the column has no default)."""
    default = AttemptQuestion._meta.get_field("max_points").get_default()
    assert isinstance(default, Decimal)
    return default


def _insert_draw(attempt: Attempt, drawn: list[_Drawn]) -> None:
    if connection.vendor != "postgresql":
        AttemptQuestion.objects.bulk_create(
            AttemptQuestion(
                attempt=attempt,
                position=position,
                snapshot_id=item.snapshot_id,
                option_order=item.option_order,
                question_id=item.question_id,
                question_version=item.version,
                qtype=item.qtype,
                option_count=len(item.option_order),
            )
            for position, item in enumerate(drawn)
        )
        return
    params: dict[str, Any] = {
        "attempt_id": attempt.pk,
        "max_points": _max_points_default(),
        "snapshot_ids": [item.snapshot_id for item in drawn],
        "option_orders": [json.dumps(item.option_order) for item in drawn],
        "question_ids": [item.question_id for item in drawn],
        "versions": [item.version for item in drawn],
        "qtypes": [item.qtype for item in drawn],
        "option_counts": [len(item.option_order) for item in drawn],
    }
    with prepared_cursor() as cursor:
        cursor.execute(_DRAW_INSERT_SQL, params)


def _create_attempt(
    *, exam: Exam, user: User, now: dt.datetime, number: int, drawn: list[_Drawn]
) -> Attempt:
    """The attempt and its draw: two INSERT statements, whatever the number of options."""
    attempt = Attempt.objects.create(
        exam=exam,
        user=user,
        number=number,
        started_at=now,
        deadline=now + dt.timedelta(minutes=exam.time_limit_minutes),
    )
    _insert_draw(attempt, drawn)
    return attempt


def attempt_start(
    *,
    exam: Exam,
    user: User,
    now: dt.datetime | None = None,
    rng: random.Random | None = None,
    previous: Sequence[Attempt] | None = None,
) -> Attempt:
    """The learner's running attempt at `exam`, or a new one if the rules allow it.

    Refreshing, another tab or another device get the same attempt and deadline. A
    running attempt past its deadline is graded first, and then the rules decide
    whether a new one may start. `previous`: the learner's attempts at `exam` if the
    caller has just read them (the start view does, to know whether it queues); a
    second try after a conflict reads them again.
    """
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    for _try in range(3):
        previous = list(previous) if previous is not None else _attempts_of(exam=exam, user=user)
        running = next((a for a in previous if a.state == AttemptState.IN_PROGRESS), None)
        if running is not None:
            if not attempt_expired(running, now):
                return running
            # Grades and refreshes `running` in place, so `previous` sees its result.
            attempt_grade_if_expired(attempt=running, now=now)
        _check_course_and_window(exam=exam, now=now)
        _check_learner(exam=exam, user=user, now=now, previous=previous)
        number = max((a.number for a in previous), default=0) + 1
        try:
            drawn = _draw(exam=exam, rng=rng)
            with transaction.atomic():
                return _create_attempt(exam=exam, user=user, now=now, number=number, drawn=drawn)
        except IntegrityError:
            # Another request of the same learner started one at the same moment
            # (one running attempt per learner and exam, attempt numbers unique):
            # loop and resume it.
            previous = None
            continue
        except SnapshotUnavailable:
            # A drawn question was deleted or edited meanwhile (nothing is written
            # yet); the next draw reads the bank as it is now.
            previous = None
            continue
    raise _refuse(_("The exam could not be started. Please try again."), "busy")
