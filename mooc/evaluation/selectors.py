"""Reads of the evaluation: the questions a learner answers, and the certificate gate."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists

from mooc.accounts.models import User
from mooc.catalog.models import Course, Enrollment, EnrollmentResult, Instructor
from mooc.evaluation.models import (
    CourseEvaluation,
    EvaluationItem,
    EvaluationResponse,
)


@dataclass(frozen=True)
class Question:
    """One question as asked: an item, once per instructor for an item asked so."""

    item: EvaluationItem
    instructor: Instructor | None = None

    @property
    def key(self) -> str:
        """The form field's name, also the answer's address in a submitted form."""
        if self.instructor is None:
            return f"q{self.item.pk}"
        return f"q{self.item.pk}-i{self.instructor.pk}"

    @property
    def group(self) -> str:
        if self.instructor is None:
            return self.item.group
        return f"{self.item.group}: {self.instructor.name}"


def evaluation_for_course(*, course: Course) -> CourseEvaluation | None:
    return CourseEvaluation.objects.select_related("template").filter(course=course).first()


def evaluation_questions(*, evaluation: CourseEvaluation) -> list[Question]:
    """The questions in the order asked: the template's items, an item asked per
    instructor repeated for each instructor of the course (grouped by instructor)."""
    items = list(EvaluationItem.objects.filter(template_id=evaluation.template_id))
    instructors = evaluation.course.ordered_instructors()  # the course's order
    questions: list[Question] = []
    for item in items:
        if not item.per_instructor:
            questions.append(Question(item=item))
    for instructor in instructors:
        questions += [
            Question(item=item, instructor=instructor) for item in items if item.per_instructor
        ]
    return questions


def evaluation_response_of(*, course: Course, user: User) -> EvaluationResponse | None:
    return (
        EvaluationResponse.objects.filter(course=course, user=user)
        .prefetch_related("answers")
        .first()
    )


def evaluation_blocks_certificate(*, user: User, course_id: int) -> bool:
    """True while the course requires an evaluation before the certificate and the
    learner has not sent theirs (one query)."""
    sent = EvaluationResponse.objects.filter(
        course_id=course_id, user=user, submitted_at__isnull=False
    )
    return (
        CourseEvaluation.objects.filter(course_id=course_id, required_for_certificate=True)
        .filter(~Exists(sent))
        .exists()
    )


def evaluation_waits_for(*, user: User, course: Course) -> bool:
    """True when `course` has an evaluation that `user` may answer (they passed) and
    has not sent yet: where "Selesai" leads after the final exam (one query)."""
    sent = EvaluationResponse.objects.filter(course=course, user=user, submitted_at__isnull=False)
    passed = Enrollment.objects.filter(course=course, user=user, result=EnrollmentResult.PASSED)
    return (
        CourseEvaluation.objects.filter(course=course)
        .filter(~Exists(sent), Exists(passed))
        .exists()
    )
