"""Demo data for the evaluation: the demo course "Literasi Digital" ships a pre-test and
the default evaluation in its package; this gives most of the reports demo's learners who
passed it a pre-test score and a sent evaluation, so both reports have figures.
Deterministic (a seeded random) and idempotent (skipped once responses exist)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from mooc.catalog.models import Enrollment, EnrollmentResult
from mooc.evaluation.models import (
    CourseEvaluation,
    EvaluationAnswer,
    EvaluationResponse,
    ItemKind,
)
from mooc.evaluation.selectors import evaluation_questions
from mooc.exams.models import Attempt, AttemptState, Exam

DEMO_COURSE = "literasi-digital-keamanan-informasi"
SUGGESTIONS = (
    "Tambahkan contoh kasus dari instansi daerah.",
    "Video materi sebaiknya bisa diunduh.",
    "Waktu ujian akhir cukup, materi sangat membantu.",
    "Perbanyak latihan soal sebelum ujian akhir.",
)


@transaction.atomic
def load() -> None:
    evaluation = (
        CourseEvaluation.objects.select_related("course").filter(course__slug=DEMO_COURSE).first()
    )
    pretest = Exam.objects.filter(course__slug=DEMO_COURSE, is_pretest=True).first()
    if evaluation is None or pretest is None:
        return
    if EvaluationResponse.objects.filter(course=evaluation.course).exists():
        return
    rng = random.Random(20)  # noqa: S311 - demo data, not secrets
    questions = evaluation_questions(evaluation=evaluation)
    passed = list(
        Enrollment.objects.filter(course=evaluation.course, result=EnrollmentResult.PASSED)
        .exclude(completed_at=None)
        .order_by("pk")
    )
    attempts, answers = [], []
    for index, enrollment in enumerate(passed):
        assert enrollment.completed_at is not None
        started = enrollment.created_at
        post = enrollment.final_score or Decimal(70)
        attempts.append(
            Attempt(
                exam=pretest,
                user_id=enrollment.user_id,
                number=1,
                started_at=started,
                deadline=started + dt.timedelta(minutes=pretest.time_limit_minutes),
                submitted_at=started + dt.timedelta(minutes=10),
                graded_at=started + dt.timedelta(minutes=10),
                state=AttemptState.GRADED,
                score=max(Decimal(0), post - Decimal(rng.randrange(5, 45))),
                passed=False,
            )
        )
        if index % 5 == 4:  # one in five has not filled it in yet
            continue
        response = EvaluationResponse.objects.create(
            course=evaluation.course,
            user_id=enrollment.user_id,
            submitted_at=enrollment.completed_at + dt.timedelta(minutes=5),
        )
        for question in questions:
            if question.item.kind == ItemKind.SCALE:
                value = rng.choice((3, 4, 4, 4, 5, 5))
                answers.append(
                    EvaluationAnswer(
                        response=response,
                        item=question.item,
                        instructor=question.instructor,
                        value=value,
                    )
                )
            elif rng.random() < 0.5:
                answers.append(
                    EvaluationAnswer(
                        response=response, item=question.item, text=rng.choice(SUGGESTIONS)
                    )
                )
    # Pre-test attempts only where the learner had none (a re-run adds nothing).
    taken = set(Attempt.objects.filter(exam=pretest).values_list("user_id", flat=True))
    Attempt.objects.bulk_create(a for a in attempts if a.user_id not in taken)
    EvaluationAnswer.objects.bulk_create(answers)
