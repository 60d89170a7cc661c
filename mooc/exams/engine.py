"""The exam engine: starting, answering, submitting and grading attempts.

Rules the rest of the product relies on
---------------------------------------
- The server owns the clock. `Attempt.deadline` is set when the attempt starts and is
  only moved by an audited extension; the remaining time is always computed from it.
  Saves are accepted until `deadline + SAVE_GRACE` (a request sent in the last second
  on a slow link still counts), and an attempt is graded automatically only after that
  same moment, so every acknowledged save is in the grade.
- Every save and the grading lock the attempt row: a save shares it (FOR SHARE, in
  the same statement that checks the state and the deadline and writes the answer),
  grading holds it exclusively while it reads the answers and moves the attempt to
  "graded". So a save either lands before the grade (and counts) or is refused; none
  is acknowledged and then lost (see `_SAVE_SQL`).
- An attempt is graded exactly once: the transition in_progress → graded happens under
  the row lock, and whoever comes second (a double submit, the periodic job) finds it
  graded and returns it as it is.
- The questions, their order, the options' order, texts and weights are copied into the
  attempt when it starts; grading reads only the copies.
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

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mooc.accounts.models import User
from mooc.catalog.models import Enrollment, EnrollmentResult, EnrollmentStatus
from mooc.core.db import prepared_cursor, prepared_fetchone
from mooc.core.errors import ServiceError
from mooc.core.services import audit_log_record
from mooc.exams.fastsave import SaveToken, hmac_pads
from mooc.exams.grading import GradedQuestion, attempt_score, is_passed
from mooc.exams.models import (
    Attempt,
    AttemptAnswer,
    AttemptOption,
    AttemptQuestion,
    AttemptState,
    Exam,
    Option,
    Question,
    QuestionType,
)
from mooc.learning.selectors import progress_by_course

logger = logging.getLogger(__name__)

# A save sent just before the deadline may arrive a moment after it on a slow link.
SAVE_GRACE = dt.timedelta(seconds=2)
# Extensions are for outages and individual arrangements, not for unlimited exams.
MAX_EXTENSION_MINUTES = 24 * 60


# --- Hook for the certificates ---------------------------------------------------------------


def on_final_exam_passed(enrollment: Enrollment) -> None:
    """Called once, inside the grading transaction, when an enrolment first becomes
    "passed" through its final exam: the certificate is issued with the grade, so both
    land or neither does (numbering, rendering and mail follow after the commit)."""
    from mooc.certificates.services import certificate_issue

    certificate_issue(enrollment)


# --- Reading the clock --------------------------------------------------------------------------


def attempt_remaining_seconds(attempt: Attempt, now: dt.datetime | None = None) -> int:
    """Whole seconds left before the server's deadline (0 once it has passed)."""
    if attempt.state != AttemptState.IN_PROGRESS:
        return 0
    left = (attempt.deadline - (now or timezone.now())).total_seconds()
    return max(int(left), 0)


def _expired(attempt: Attempt, now: dt.datetime) -> bool:
    return now > attempt.deadline + SAVE_GRACE


# --- Starting ---------------------------------------------------------------------------------
#
# Starting is the exam day's peak: thousands of learners press "start" within a minute,
# so it reads with few, narrow queries (rows, not model instances), and on PostgreSQL
# one statement copies the drawn questions and options into the attempt inside the
# database instead of sending them to Python and back.


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


def attempt_may_start(*, exam: Exam, user: User, now: dt.datetime) -> None:
    """Raise ServiceError (with a code) when the learner may not start now; pages use it
    to explain a disabled start button with the same rules as `attempt_start`."""
    _check_course_and_window(exam=exam, now=now)
    _check_learner(exam=exam, user=user, now=now, previous=_attempts_of(exam=exam, user=user))


class _BankChanged(Exception):
    """A drawn question or option was deleted between reading and copying it (an
    admin's edit or re-import): the start draws again."""


@dataclass(frozen=True, slots=True)
class _Drawn:
    """A drawn question as the attempt shows it: its bank id and its options' bank
    ids in display order."""

    question_id: int
    option_ids: list[int]


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


def _draw_by_quota(*, exam: Exam, quotas: list[tuple[int, int]], rng: random.Random) -> list[int]:
    """Ids drawn by the exam's category quotas, in random order.

    Each category gives `count` of its active questions (fewer, with a warning for
    the admin, when it has fewer). `Exam.categories` plays no part here.
    """
    by_category: dict[int, list[int]] = {category_id: [] for category_id, _count in quotas}
    rows = (
        Question.objects.filter(
            course_id=exam.course_id, is_active=True, category_id__in=list(by_category)
        )
        .order_by("id")
        .values_list("id", "category_id")
    )
    for pk, category_id in rows:
        by_category[category_id].append(pk)
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
    return chosen


def _draw_question_ids(*, exam: Exam, rng: random.Random) -> list[int]:
    """The ids of the questions of a new attempt, in random order."""
    quotas, category_ids = _draw_rules(exam)
    if quotas:
        chosen = _draw_by_quota(exam=exam, quotas=quotas, rng=rng)
    else:
        # .order_by("id"): a stable order, so a seeded rng draws the same; not
        # Meta.ordering, which joins the categories to sort by their name.
        pool = Question.objects.filter(course_id=exam.course_id, is_active=True).order_by("id")
        if category_ids:
            pool = pool.filter(category_id__in=category_ids)
        ids = list(pool.values_list("id", flat=True))
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
    return chosen


def _draw(*, exam: Exam, rng: random.Random) -> list[_Drawn]:
    """The questions of a new attempt in display order, each with its options in
    display order: only ids, the copy takes the texts from the bank."""
    chosen = _draw_question_ids(exam=exam, rng=rng)
    # One row per option (a question without options still gives one, with None).
    rows = (
        Question.objects.filter(pk__in=chosen)
        .order_by("id", "options__order", "options__id")  # Option.Meta.ordering
        .values_list("id", "qtype", "category__name", "options__id")
    )
    qtypes: dict[int, str] = {}
    sort_keys: dict[int, tuple[str, int]] = {}
    options: dict[int, list[int]] = {}
    for pk, qtype, category_name, option_id in rows:
        if pk not in options:
            qtypes[pk] = qtype
            sort_keys[pk] = (category_name or "", pk)
            options[pk] = []
        if option_id is not None:
            options[pk].append(option_id)
    if len(options) != len(chosen):
        raise _BankChanged
    if not exam.shuffle_questions:
        chosen.sort(key=sort_keys.__getitem__)  # else the draw's order is already random
    for pk in chosen:
        # True/false keeps its "Benar, Salah" order; shuffling it only confuses.
        if exam.shuffle_options and qtypes[pk] != QuestionType.TRUE_FALSE:
            rng.shuffle(options[pk])
    return [_Drawn(question_id=pk, option_ids=options[pk]) for pk in chosen]


# Every copied field of the bank, in one statement: the attempt's questions (position
# from the draw order), then their options (position from the shuffled order), joined
# to the question copies just inserted. The counts tell whether every drawn row was
# still there.
_COPY_SQL = """
WITH copied AS (
    INSERT INTO exams_attemptquestion
        (attempt_id, position, question_id, question_version, text, image, qtype,
         general_feedback, max_points, option_count)
    SELECT %(attempt_id)s, drawn.n - 1, q.id, q.version, q.text, q.image, q.qtype,
           q.general_feedback, %(max_points)s, drawn.option_count
    FROM unnest(%(question_ids)s::bigint[], %(option_counts)s::int[])
         WITH ORDINALITY AS drawn (question_id, option_count, n)
    JOIN exams_question q ON q.id = drawn.question_id
    RETURNING id, question_id
), copied_options AS (
    INSERT INTO exams_attemptoption (attempt_question_id, position, text, weight, feedback)
    SELECT copied.id, shown.position, o.text, o.weight, o.feedback
    FROM unnest(%(option_ids)s::bigint[], %(option_positions)s::int[])
         AS shown (option_id, position)
    JOIN exams_option o ON o.id = shown.option_id
    JOIN copied ON copied.question_id = o.question_id
    RETURNING 1
)
SELECT (SELECT count(*) FROM copied), (SELECT count(*) FROM copied_options)
"""


def _max_points_default() -> Decimal:
    """The model's default, which the ORM would fill in (the column has no default)."""
    default = AttemptQuestion._meta.get_field("max_points").get_default()
    assert isinstance(default, Decimal)
    return default


def _copy_in_postgresql(attempt: Attempt, drawn: list[_Drawn]) -> None:
    """Copy the drawn questions and options into `attempt` with `_COPY_SQL`; the texts
    never leave the database (a prepared statement: parsed and planned once)."""
    option_ids = [pk for item in drawn for pk in item.option_ids]
    params: dict[str, Any] = {
        "attempt_id": attempt.pk,
        "max_points": _max_points_default(),
        "question_ids": [item.question_id for item in drawn],
        "option_counts": [len(item.option_ids) for item in drawn],
        "option_ids": option_ids,
        "option_positions": [
            position for item in drawn for position in range(len(item.option_ids))
        ],
    }
    with prepared_cursor() as cursor:
        cursor.execute(_COPY_SQL, params)
        copied = cursor.fetchone()
    if copied != (len(drawn), len(option_ids)):
        raise _BankChanged


def _copy_portable(attempt: Attempt, drawn: list[_Drawn]) -> None:
    """What `_COPY_SQL` does, for SQLite: read the rows, insert the copies."""
    questions = {
        row[0]: row
        for row in Question.objects.filter(pk__in=[item.question_id for item in drawn])
        .order_by()
        .values_list("id", "version", "text", "image", "qtype", "general_feedback")
    }
    options = {
        row[0]: row
        for row in Option.objects.filter(pk__in=[pk for item in drawn for pk in item.option_ids])
        .order_by()
        .values_list("id", "text", "weight", "feedback")
    }
    if len(questions) != len(drawn) or len(options) != sum(len(i.option_ids) for i in drawn):
        raise _BankChanged
    rows = []
    for position, item in enumerate(drawn):
        _pk, version, text, image, qtype, general_feedback = questions[item.question_id]
        rows.append(
            AttemptQuestion(
                attempt=attempt,
                position=position,
                question_id=item.question_id,
                question_version=version,
                text=text,
                image=image,
                qtype=qtype,
                general_feedback=general_feedback,
                option_count=len(item.option_ids),
            )
        )
    created = AttemptQuestion.objects.bulk_create(rows)
    AttemptOption.objects.bulk_create(
        AttemptOption(
            attempt_question=row,
            position=position,
            text=options[pk][1],
            weight=options[pk][2],
            feedback=options[pk][3],
        )
        for row, item in zip(created, drawn, strict=True)
        for position, pk in enumerate(item.option_ids)
    )


def _create_attempt(
    *, exam: Exam, user: User, now: dt.datetime, number: int, drawn: list[_Drawn]
) -> Attempt:
    attempt = Attempt.objects.create(
        exam=exam,
        user=user,
        number=number,
        started_at=now,
        deadline=now + dt.timedelta(minutes=exam.time_limit_minutes),
    )
    if connection.vendor == "postgresql":
        _copy_in_postgresql(attempt, drawn)
    else:
        _copy_portable(attempt, drawn)
    return attempt


def attempt_start(
    *,
    exam: Exam,
    user: User,
    now: dt.datetime | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """The learner's running attempt at `exam`, or a new one if the rules allow it.

    Refreshing, another tab or another device get the same attempt and deadline. A
    running attempt past its deadline is graded first, and then the rules decide
    whether a new one may start.
    """
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    for _try in range(3):
        previous = _attempts_of(exam=exam, user=user)
        running = next((a for a in previous if a.state == AttemptState.IN_PROGRESS), None)
        if running is not None:
            if not _expired(running, now):
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
            continue
        except _BankChanged:
            # Nothing of this try is left (a copy rolls back with its attempt); the
            # next draw reads the bank as it is now.
            continue
    raise _refuse(_("The exam could not be started. Please try again."), "busy")


# --- Saving answers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveResult:
    position: int
    option_positions: list[int]
    client_seq: int
    # False when a newer save was already stored: the stored state is returned.
    applied: bool


# One statement does the whole save on PostgreSQL, without an explicit transaction
# (a single statement is one): it finds the question in the learner's own attempt,
# checks the attempt is still running and within deadline + grace, validates the
# chosen positions, and upserts the answer unless a newer one (higher client_seq,
# from another tab) is stored. No row comes back when anything does not hold.
#
# Why this keeps "a save either lands before the grade or is refused" without the
# row lock saves used to take: the SELECT takes FOR SHARE on the attempt row, and
# grading (and extending) take FOR UPDATE on it, which conflicts with FOR SHARE.
# - A save that got its share lock first holds it until its statement commits; grading
#   waits for it, and then reads the answer it wrote.
# - A save arriving while grading holds the lock waits; PostgreSQL then re-checks
#   the WHERE clause on the new version of the attempt row (state = 'graded' now)
#   and the SELECT yields nothing: the save is refused, never acknowledged and lost.
# FOR SHARE, not FOR KEY SHARE: KEY SHARE does not conflict with a plain UPDATE of a
# non-key column (FOR NO KEY UPDATE), so an UPDATE of the state or deadline that did
# not lock first could slip past it. Saves do not conflict with each other (shared
# locks), so one learner's two tabs never wait on each other for the attempt row;
# two saves of the same question are ordered by ON CONFLICT on the answer row, and
# the WHERE on client_seq keeps the newer one whatever order they commit in.
_SAVE_SQL = """
INSERT INTO exams_attemptanswer (attempt_question_id, option_positions, client_seq, saved_at)
SELECT aq.id, %(positions)s::jsonb, %(client_seq)s, %(now)s
FROM exams_attemptquestion aq
JOIN exams_attempt a ON a.id = aq.attempt_id
{identity_join}
WHERE aq.attempt_id = %(attempt_id)s
  AND aq.position = %(position)s
  AND a.user_id = %(user_id)s
  AND a.state = '{in_progress}'
  AND a.deadline + interval '{grace} seconds' >= %(now)s
  AND %(highest)s < aq.option_count
  AND (%(chosen)s <= 1 OR aq.qtype NOT IN ('{single}', '{true_false}'))
  {identity_where}
FOR SHARE OF a
ON CONFLICT (attempt_question_id) DO UPDATE
SET option_positions = EXCLUDED.option_positions,
    client_seq = EXCLUDED.client_seq,
    saved_at = EXCLUDED.saved_at
WHERE exams_attemptanswer.client_seq < EXCLUDED.client_seq
RETURNING id
"""
# The code's constants are written into the text (fewer parameters to send per save).
_SAVE_CONSTANTS = {
    "in_progress": AttemptState.IN_PROGRESS.value,
    "grace": SAVE_GRACE.total_seconds(),
    "single": QuestionType.SINGLE.value,
    "true_false": QuestionType.TRUE_FALSE.value,
}
_UPSERT_SQL = _SAVE_SQL.format(identity_join="", identity_where="", **_SAVE_CONSTANTS)
# A save token's claim checked in the same statement (see mooc/exams/fastsave.py):
# the attempt's key is the token's (no logout since), the account may log in
# (AccountBackend's rule) and the token's tag is still the HMAC of the current
# password hash.
_UPSERT_AS_SQL = _SAVE_SQL.format(
    **_SAVE_CONSTANTS,
    identity_join="JOIN accounts_user u ON u.id = a.user_id",
    identity_where="""AND a.save_key = %(save_key)s
  AND u.is_active AND u.activated_at IS NOT NULL AND u.locked_at IS NULL
  AND encode(sha256(%(outer_pad)s || sha256(%(inner_pad)s || convert_to(u.password, 'UTF8'))),
             'hex') = %(password_tag)s""",
)


def _upsert_postgresql(
    *,
    attempt_id: int,
    user_id: int,
    position: int,
    positions: list[int],
    client_seq: int,
    now: dt.datetime,
    token: SaveToken | None = None,
) -> bool:
    """True when the answer was stored; False when any rule did not hold (the
    caller finds out which)."""
    if positions and positions[0] < 0:
        return False
    params: dict[str, Any] = {
        "positions": json.dumps(positions),
        "client_seq": client_seq,
        "now": now,
        "attempt_id": attempt_id,
        "position": position,
        "user_id": user_id,
        "highest": positions[-1] if positions else -1,
        "chosen": len(positions),
    }
    sql = _UPSERT_SQL
    if token is not None:
        sql = _UPSERT_AS_SQL
        params["inner_pad"], params["outer_pad"] = hmac_pads(settings.SECRET_KEY)
        params["save_key"] = token.save_key
        params["password_tag"] = token.password_tag
    # Safe to run twice: a save that landed the first time is stale the second.
    return prepared_fetchone(sql, params) is not None


def _upsert_portable(
    *, question_id: int, positions: list[int], client_seq: int, now: dt.datetime
) -> bool:
    # Race-free because the caller holds the attempt's row lock (on SQLite the single
    # writer does the same).
    stored = (
        AttemptAnswer.objects.filter(attempt_question_id=question_id)
        .values_list("client_seq", flat=True)
        .first()
    )
    if stored is None:
        AttemptAnswer.objects.create(
            attempt_question_id=question_id,
            option_positions=positions,
            client_seq=client_seq,
            saved_at=now,
        )
        return True
    if stored >= client_seq:
        return False
    AttemptAnswer.objects.filter(attempt_question_id=question_id).update(
        option_positions=positions, client_seq=client_seq, saved_at=now
    )
    return True


def _save_checked(
    question: AttemptQuestion | None, *, positions: list[int], now: dt.datetime
) -> AttemptQuestion:
    """Raise the refusal that applies to saving `positions` into `question`."""
    if question is None:
        # Someone else's attempt looks exactly like a missing one.
        raise _refuse(_("This question is not part of your exam."), "not_found")
    attempt = question.attempt
    if attempt.state != AttemptState.IN_PROGRESS:
        raise _refuse(_("This exam has already been submitted."), "submitted")
    if _expired(attempt, now):
        raise _refuse(_("Time is up: answers can no longer be saved."), "time_up")
    valid = all(0 <= p < question.option_count for p in positions)
    one_answer = question.qtype in (QuestionType.SINGLE, QuestionType.TRUE_FALSE)
    if not valid or (one_answer and len(positions) > 1):
        raise _refuse(_("That is not a valid answer to this question."), "invalid")
    return question


def _question_for_save(
    *, attempt_id: int, user: User, position: int, lock: bool
) -> AttemptQuestion | None:
    questions = AttemptQuestion.objects.select_related("attempt")
    if lock:
        questions = questions.select_for_update(of=("attempt",))
    return (
        questions.filter(attempt_id=attempt_id, attempt__user=user, position=position)
        .only("id", "qtype", "option_count", "attempt__state", "attempt__deadline")
        .first()
    )


def _stored_result(question: AttemptQuestion, position: int) -> SaveResult | None:
    stored = (
        AttemptAnswer.objects.filter(attempt_question_id=question.pk)
        .values("option_positions", "client_seq")
        .first()
    )
    if stored is None:
        return None
    return SaveResult(
        position, list(stored["option_positions"]), stored["client_seq"], applied=False
    )


def answer_save(
    *,
    attempt_id: int,
    user: User,
    position: int,
    option_positions: list[int],
    client_seq: int,
    now: dt.datetime | None = None,
) -> SaveResult:
    """Store the learner's choice for the question at `position` of their attempt.

    Idempotent: a save whose `client_seq` is not newer than the stored one changes
    nothing and returns what is stored. One statement on PostgreSQL when it lands
    (see `_SAVE_SQL`); a refused or stale save reads once more to say why.
    """
    now = now or timezone.now()
    positions = sorted(set(option_positions))
    if connection.vendor != "postgresql":
        with transaction.atomic():
            question = _save_checked(
                _question_for_save(attempt_id=attempt_id, user=user, position=position, lock=True),
                positions=positions,
                now=now,
            )
            if _upsert_portable(
                question_id=question.pk, positions=positions, client_seq=client_seq, now=now
            ):
                return SaveResult(position, positions, client_seq, applied=True)
            stored = _stored_result(question, position)
            assert stored is not None  # we hold the lock: it cannot have gone
            return stored

    for _try in range(3):
        if _upsert_postgresql(
            attempt_id=attempt_id,
            user_id=user.pk,
            position=position,
            positions=positions,
            client_seq=client_seq,
            now=now,
        ):
            return SaveResult(position, positions, client_seq, applied=True)
        # Not stored: refused (raises), or a newer save is stored (stale tab).
        question = _save_checked(
            _question_for_save(attempt_id=attempt_id, user=user, position=position, lock=False),
            positions=positions,
            now=now,
        )
        stored = _stored_result(question, position)
        if stored is not None and stored.client_seq >= client_seq:
            return stored
        # The attempt changed between the two reads (say an extension came in just
        # as the deadline passed): the rules hold now, so try the save again.
    raise _refuse(_("The answer could not be saved. Please try again."), "busy")


def answer_save_as(
    *,
    token: SaveToken,
    attempt_id: int,
    position: int,
    option_positions: list[int],
    client_seq: int,
    now: dt.datetime | None = None,
) -> SaveResult | None:
    """`answer_save` for the holder of a save token, on PostgreSQL, without reading
    the session or the user first: the statement checks the token's claim too
    (mooc/exams/fastsave.py).

    Returns None, having changed nothing, whenever the save does not simply land
    (a refusal, a stale save, a token no longer good): the caller then authenticates
    as usual and calls `answer_save`, which gives the precise answer.
    """
    positions = sorted(set(option_positions))
    stored = _upsert_postgresql(
        attempt_id=attempt_id,
        user_id=token.user_id,
        position=position,
        positions=positions,
        client_seq=client_seq,
        now=now or timezone.now(),
        token=token,
    )
    return SaveResult(position, positions, client_seq, applied=True) if stored else None


# --- Grading ------------------------------------------------------------------------------------


def _grade_locked(attempt: Attempt, *, now: dt.datetime, submitted: bool) -> Attempt:
    """Grade an attempt whose row the caller has locked and found in progress."""
    questions = list(
        AttemptQuestion.objects.filter(attempt=attempt)
        .select_related("answer")
        .prefetch_related("options")
    )
    graded = []
    for question in questions:
        weights = [option.weight for option in question.options.all()]
        try:
            chosen = question.answer.option_positions
        except AttemptAnswer.DoesNotExist:
            chosen = []
        graded.append(
            GradedQuestion(
                qtype=question.qtype,
                weights=weights,
                chosen=chosen,
                max_points=question.max_points,
            )
        )
    exam = attempt.exam
    attempt.score = attempt_score(graded)
    attempt.passed = is_passed(score=attempt.score, passing_grade=exam.passing_grade)
    # Time running out counts as submitting at the deadline.
    attempt.submitted_at = now if submitted else min(now, attempt.deadline)
    attempt.graded_at = now
    attempt.state = AttemptState.GRADED
    attempt.save(update_fields=["score", "passed", "submitted_at", "graded_at", "state"])
    if exam.is_final:
        _enrollment_record(attempt=attempt, now=now)
    return attempt


def _enrollment_record(*, attempt: Attempt, now: dt.datetime) -> None:
    """Best attempt wins: once passed, an enrolment stays passed."""
    exam = attempt.exam
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(user_id=attempt.user_id, course_id=exam.course_id)
        .first()
    )
    if enrollment is None:  # unenrolled by an admin meanwhile: nothing to record
        return
    best = Attempt.objects.filter(
        exam=exam, user_id=attempt.user_id, state=AttemptState.GRADED
    ).aggregate(best=Max("score"))["best"]
    fields = ["final_score", "updated_at"]
    enrollment.final_score = max(best or Decimal(0), enrollment.final_score or Decimal(0))
    newly_passed = False
    if enrollment.result != EnrollmentResult.PASSED and attempt.passed:
        enrollment.status = EnrollmentStatus.COMPLETED
        enrollment.result = EnrollmentResult.PASSED
        enrollment.completed_at = now
        fields += ["status", "result", "completed_at"]
        newly_passed = True
    elif enrollment.result != EnrollmentResult.PASSED and exam.max_attempts is not None:
        used = Attempt.objects.filter(exam=exam, user_id=attempt.user_id).count()
        if used >= exam.max_attempts:
            enrollment.status = EnrollmentStatus.COMPLETED
            enrollment.result = EnrollmentResult.FAILED
            enrollment.completed_at = now
            fields += ["status", "result", "completed_at"]
    enrollment.save(update_fields=fields)
    if newly_passed:
        on_final_exam_passed(enrollment)


def attempt_submit(*, attempt_id: int, user: User, now: dt.datetime | None = None) -> Attempt:
    """Grade the learner's attempt with what was saved; a second submit returns it as graded."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            # of=("self",): FOR UPDATE would also lock the joined exam row, and every
            # submit of the exam would wait for the one before (the end-of-exam rush).
            Attempt.objects.select_for_update(of=("self",))
            .select_related("exam")
            .filter(pk=attempt_id, user=user)
            .first()
        )
        if attempt is None:
            raise _refuse(_("This exam attempt was not found."), "not_found")
        if attempt.state != AttemptState.IN_PROGRESS:
            return attempt
        # Submitting late is still a submit: it grades what was saved by the deadline.
        return _grade_locked(attempt, now=now, submitted=not _expired(attempt, now))


def attempt_grade_if_expired(*, attempt: Attempt, now: dt.datetime | None = None) -> Attempt:
    """Grade `attempt` if its time ran out; call it wherever an attempt is read."""
    now = now or timezone.now()
    if attempt.state != AttemptState.IN_PROGRESS or not _expired(attempt, now):
        return attempt
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("exam")
            .get(pk=attempt.pk)
        )
        # Re-checked under the lock: a submit or an extension may have come first.
        if locked.state == AttemptState.IN_PROGRESS and _expired(locked, now):
            _grade_locked(locked, now=now, submitted=False)
    attempt.refresh_from_db()
    return attempt


def attempts_grade_expired(now: dt.datetime | None = None) -> int:
    """Grade every running attempt past its deadline; returns how many were graded."""
    now = now or timezone.now()
    graded = 0
    due = Attempt.objects.filter(
        state=AttemptState.IN_PROGRESS, deadline__lt=now - SAVE_GRACE
    ).values_list("pk", flat=True)
    for pk in list(due[:10_000]):
        with transaction.atomic():
            # skip_locked: a learner submitting right now is graded by their request.
            attempt = (
                Attempt.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("exam")
                .filter(pk=pk, state=AttemptState.IN_PROGRESS)
                .first()
            )
            if attempt is None or not _expired(attempt, now):
                continue
            _grade_locked(attempt, now=now, submitted=False)
            graded += 1
    return graded


# --- Extensions (audited) -------------------------------------------------------------------


def _check_extension(minutes: int, reason: str) -> None:
    if not 1 <= minutes <= MAX_EXTENSION_MINUTES:
        raise ServiceError(
            _("Extra time must be between 1 and %(max)d minutes.") % {"max": MAX_EXTENSION_MINUTES},
            field="minutes",
            code="invalid_minutes",
        )
    if not reason.strip():
        raise ServiceError(_("Give a reason."), field="reason", code="reason_required")


def attempt_extend(*, attempt: Attempt, minutes: int, actor: User, reason: str) -> Attempt:
    """Give one learner's running attempt `minutes` more."""
    _check_extension(minutes, reason)
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.state != AttemptState.IN_PROGRESS:
            raise _refuse(_("This exam has already been submitted."), "submitted")
        before = {"deadline": locked.deadline.isoformat(), "extra_minutes": locked.extra_minutes}
        locked.deadline += dt.timedelta(minutes=minutes)
        locked.extra_minutes += minutes
        locked.save(update_fields=["deadline", "extra_minutes"])
        audit_log_record(
            actor=actor,
            action="exams.attempt_extend",
            target=locked,
            reason=reason,
            before=before,
            after={"deadline": locked.deadline.isoformat(), "extra_minutes": locked.extra_minutes},
        )
    return locked


def exam_extend_running(*, exam: Exam, minutes: int, actor: User, reason: str) -> int:
    """Give every running attempt of `exam` `minutes` more (after an outage).

    Attempts already past their deadline but not yet graded are extended too: during
    an outage nobody could submit, so they deserve the time as much as the others.
    Returns the number of attempts extended.
    """
    _check_extension(minutes, reason)
    delta = dt.timedelta(minutes=minutes)
    with transaction.atomic():
        running = list(
            Attempt.objects.select_for_update()
            .filter(exam=exam, state=AttemptState.IN_PROGRESS)
            .order_by("pk")
        )
        for attempt in running:
            attempt.deadline += delta
            attempt.extra_minutes += minutes
        Attempt.objects.bulk_update(running, ["deadline", "extra_minutes"], batch_size=1000)
        audit_log_record(
            actor=actor,
            action="exams.exam_extend_running",
            target=exam,
            reason=reason,
            after={"minutes": minutes, "attempts": [a.pk for a in running]},
        )
    return len(running)


# --- Admin reset and recomputing the enrolment (audited) -------------------------------------


def enrollment_recompute(*, enrollment: Enrollment) -> Enrollment:
    """Recompute an enrolment's result from the graded attempts at its course's final exam.

    - No final exam, or no graded attempt left: active, no result, no score.
    - Best score wins; passed as soon as any remaining attempt passed (completed when
      the first passing attempt was graded).
    - Not passed and every allowed attempt used (`max_attempts`, attempts in progress
      included): completed, failed.
    - Otherwise active, no result, with the best score so far.

    The caller holds a transaction (the enrolment row is locked here). Used after an
    admin reset; grading keeps using the incremental `_enrollment_record`.
    """
    with transaction.atomic():
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        exam = Exam.objects.filter(course_id=locked.course_id, is_final=True).first()
        attempts = (
            list(Attempt.objects.filter(exam=exam, user_id=locked.user_id).order_by("number"))
            if exam is not None
            else []
        )
        graded = [a for a in attempts if a.state == AttemptState.GRADED and a.score is not None]
        was_passed = locked.result == EnrollmentResult.PASSED
        status, result = EnrollmentStatus.ACTIVE, ""
        score: Decimal | None = None
        completed_at: dt.datetime | None = None
        if graded:
            score = max(a.score for a in graded if a.score is not None)
            passing = [a for a in graded if a.passed]
            if passing:
                status, result = EnrollmentStatus.COMPLETED, EnrollmentResult.PASSED
                completed_at = min(a.graded_at or a.started_at for a in passing)
            elif (
                exam is not None
                and exam.max_attempts is not None
                and len(attempts) >= exam.max_attempts
            ):
                status, result = EnrollmentStatus.COMPLETED, EnrollmentResult.FAILED
                completed_at = max(a.graded_at or a.started_at for a in graded)
        fields = ["status", "result", "final_score", "completed_at"]
        before = {name: getattr(locked, name) for name in fields}
        locked.status, locked.result = status, result
        locked.final_score, locked.completed_at = score, completed_at
        if {name: getattr(locked, name) for name in fields} != before:
            locked.save(update_fields=[*fields, "updated_at"])
        if result == EnrollmentResult.PASSED and not was_passed:
            on_final_exam_passed(locked)
    enrollment.refresh_from_db()
    return enrollment


def _refuse_if_certified(enrollment: Enrollment) -> None:
    """A reset may not silently take a pass away from under a valid certificate."""
    from mooc.certificates.models import Certificate, CertificateState

    if Certificate.objects.filter(enrollment=enrollment, state=CertificateState.VALID).exists():
        raise _refuse(
            _(
                "This attempt passed the course and its certificate is valid: revoke the "
                "certificate first (Certificates), then reset the attempt."
            ),
            "certified",
        )


def attempt_reset(*, attempt: Attempt, actor: User, reason: str, request: Any = None) -> None:
    """Delete one attempt (an admin's decision, with a reason) and recompute the enrolment.

    The attempt is deleted with its questions, options and answers, as if it had never
    been taken: the learner gets that attempt back (attempts used = attempts left in
    the table). The numbers of the other attempts are kept, so numbering may show a
    gap, and the next attempt is numbered after the highest remaining one. An attempt
    in progress can be reset too (it disappears from the learner's screen). What the
    attempt was (learner, exam, number, state, score, passed, times) goes to the audit
    log with the reason. For a final exam the enrolment is recomputed from the
    remaining graded attempts (`enrollment_recompute`), which may take a "passed"
    away when the only passing attempt is reset.
    """
    if not (reason or "").strip():
        raise ServiceError(_("Give a reason."), field="reason", code="reason_required")
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("exam", "user")
            .filter(pk=attempt.pk)
            .first()
        )
        if locked is None:
            raise _refuse(_("This exam attempt was not found."), "not_found")
        exam = locked.exam
        before = {
            "attempt": locked.pk,
            "user": locked.user_id,
            "username": locked.user.username,
            "exam": exam.pk,
            "exam_title": exam.title,
            "course": exam.course_id,
            "number": locked.number,
            "state": locked.state,
            "score": str(locked.score) if locked.score is not None else None,
            "passed": locked.passed,
            "started_at": locked.started_at.isoformat(),
            "submitted_at": locked.submitted_at.isoformat() if locked.submitted_at else None,
            "extra_minutes": locked.extra_minutes,
        }
        enrollment = (
            Enrollment.objects.filter(user_id=locked.user_id, course_id=exam.course_id).first()
            if exam.is_final
            else None
        )
        if enrollment is not None:
            before["enrollment"] = {
                "status": enrollment.status,
                "result": enrollment.result,
                "final_score": (
                    str(enrollment.final_score) if enrollment.final_score is not None else None
                ),
            }
        pk = locked.pk
        locked.delete()
        after: dict[str, Any] = {"deleted": True}
        if enrollment is not None:
            was_passed = enrollment.result == EnrollmentResult.PASSED
            enrollment_recompute(enrollment=enrollment)
            if was_passed and enrollment.result != EnrollmentResult.PASSED:
                _refuse_if_certified(enrollment)
            after["enrollment"] = {
                "status": enrollment.status,
                "result": enrollment.result,
                "final_score": (
                    str(enrollment.final_score) if enrollment.final_score is not None else None
                ),
            }
        # The row is gone: the entry names it by its former id and label.
        locked.pk = pk
        audit_log_record(
            actor=actor,
            action="exams.attempt_reset",
            target=locked,
            reason=reason.strip(),
            before=before,
            after=after,
            request=request,
        )
