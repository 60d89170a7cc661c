"""Saving an answer: one statement on PostgreSQL, checked and idempotent.

Every save shares the attempt's row lock (FOR SHARE, in the same statement that checks
the state and the deadline and writes the answer) and grading holds it exclusively, so
a save either lands before the grade (and counts) or is refused; none is acknowledged
and then lost (see `_SAVE_SQL`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mooc.accounts.models import User
from mooc.core.db import prepared_fetchone
from mooc.core.errors import ServiceError
from mooc.exams.models import (
    AttemptAnswer,
    AttemptQuestion,
    AttemptState,
    QuestionType,
)
from mooc.exams.services.clock import SAVE_GRACE, attempt_expired
from mooc.exams.services.save_tokens import SaveToken, hmac_pads


def _refuse(message: str, code: str) -> ServiceError:
    return ServiceError(message, code=code)


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
# A save token's claim checked in the same statement (see mooc/exams/services/save_tokens.py):
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
    if attempt_expired(attempt, now):
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
    (mooc/exams/services/save_tokens.py).

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
