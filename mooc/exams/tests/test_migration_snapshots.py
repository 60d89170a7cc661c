"""The data migration that turns the attempts' copied questions into shared snapshots:
what every learner saw, in the order they saw it, and its key stay exactly the same."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("exams", "0007_exam_is_pretest")]
AFTER = [("exams", "0010_attempts_drop_copies")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_copies_become_shared_snapshots_with_each_attempts_order() -> None:
    course = CourseFactory.create()
    users = [UserFactory.create(), UserFactory.create()]
    old = _migrate(BEFORE)
    Exam = old.get_model("exams", "Exam")
    Attempt = old.get_model("exams", "Attempt")
    AttemptQuestion = old.get_model("exams", "AttemptQuestion")
    AttemptOption = old.get_model("exams", "AttemptOption")
    AttemptAnswer = old.get_model("exams", "AttemptAnswer")
    Question = old.get_model("exams", "Question")
    exam = Exam.objects.create(course_id=course.pk, title="Ujian")
    bank = Question.objects.create(course_id=course.pk, key="q1", qtype="single", text="<p>Q</p>")
    now = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    options = [("<p>A</p>", Decimal(100), "ya"), ("<p>B</p>", Decimal(0), ""), ("<p>C</p>", 0, "")]
    # Two learners saw the same question with the options in different orders; a third
    # copy has a different text (a question deleted since: no bank row).
    layouts = [[0, 1, 2], [2, 0, 1]]
    for user, layout in zip(users, layouts, strict=True):
        attempt = Attempt.objects.create(
            exam=exam, user_id=user.pk, number=1, started_at=now, deadline=now
        )
        copy = AttemptQuestion.objects.create(
            attempt=attempt,
            position=0,
            question=bank,
            question_version=1,
            text="<p>Q</p>",
            image="questions/q.png",
            qtype="single",
            general_feedback="<p>umum</p>",
            option_count=3,
        )
        AttemptOption.objects.bulk_create(
            AttemptOption(
                attempt_question=copy,
                position=position,
                text=options[index][0],
                weight=options[index][1],
                feedback=options[index][2],
            )
            for position, index in enumerate(layout)
        )
        AttemptAnswer.objects.create(attempt_question=copy, option_positions=[1], saved_at=now)
        orphan = AttemptQuestion.objects.create(
            attempt=attempt,
            position=1,
            question=None,
            question_version=4,
            text="<p>Lama</p>",
            qtype="truefalse",
            option_count=2,
        )
        AttemptOption.objects.create(attempt_question=orphan, position=0, text="Benar", weight=0)
        AttemptOption.objects.create(attempt_question=orphan, position=1, text="Salah", weight=100)

    new = _migrate(AFTER)

    Snapshot = new.get_model("exams", "QuestionSnapshot")
    NewQuestion = new.get_model("exams", "AttemptQuestion")
    assert Snapshot.objects.count() == 2  # one per content, shared by both attempts
    seen = []
    for row in NewQuestion.objects.select_related("snapshot", "answer").order_by(
        "attempt_id", "position"
    ):
        shown = [row.snapshot.options[index] for index in row.option_order]
        seen.append(
            (
                row.position,
                row.snapshot.text,
                row.snapshot.image,
                row.snapshot.general_feedback,
                [(o["text"], Decimal(o["weight"]), o["feedback"]) for o in shown],
                row.answer.option_positions if row.position == 0 else None,
            )
        )
    first = [(t, Decimal(str(w)), f) for t, w, f in options]
    second = [first[2], first[0], first[1]]
    tf = [("Benar", Decimal(0), ""), ("Salah", Decimal(100), "")]
    assert seen == [
        (0, "<p>Q</p>", "questions/q.png", "<p>umum</p>", first, [1]),
        (1, "<p>Lama</p>", "", "", tf, None),
        (0, "<p>Q</p>", "questions/q.png", "<p>umum</p>", second, [1]),
        (1, "<p>Lama</p>", "", "", tf, None),
    ]

    # And back: the copies are written again as they were.
    old = _migrate(BEFORE)
    rows = old.get_model("exams", "AttemptOption").objects.order_by(
        "attempt_question__attempt_id", "attempt_question__position", "position"
    )
    assert [(o.text, o.weight) for o in rows][:6] == [
        ("<p>A</p>", Decimal(100)),
        ("<p>B</p>", Decimal(0)),
        ("<p>C</p>", Decimal(0)),
        ("Benar", Decimal(0)),
        ("Salah", Decimal(100)),
        ("<p>C</p>", Decimal(0)),
    ]
    _migrate(AFTER)
