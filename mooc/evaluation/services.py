"""Writes of the evaluation: a learner's response, saved as a draft or sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mooc.accounts.models import User
from mooc.catalog.models import Course, Enrollment, EnrollmentResult
from mooc.core.errors import ServiceError
from mooc.evaluation.models import (
    SCALE_MAX,
    SCALE_MIN,
    TEXT_MAX_LENGTH,
    CourseEvaluation,
    EvaluationAnswer,
    EvaluationResponse,
    ItemKind,
)
from mooc.evaluation.selectors import Question, evaluation_questions


class AnswersInvalid(ServiceError):
    """Some answers are wrong; `errors` maps each question's key to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Check the answers marked below: nothing was saved."), code="invalid")
        self.errors = errors


def evaluation_may_answer(*, course: Course, user: User) -> CourseEvaluation:
    """The course's evaluation when `user` may answer it, else ServiceError: the course
    has one, the learner is enrolled and has passed it (it is offered after passing)."""
    evaluation = (
        CourseEvaluation.objects.select_related("template", "course").filter(course=course).first()
    )
    if evaluation is None:
        raise ServiceError(_("This course has no evaluation."), code="no_evaluation")
    results = list(
        Enrollment.objects.filter(user=user, course=course)
        .order_by()
        .values_list("result", flat=True)[:1]
    )
    if not results:
        raise ServiceError(_("You are not enrolled in this course."), code="not_enrolled")
    if results[0] != EnrollmentResult.PASSED:
        raise ServiceError(
            _("The evaluation opens once you have passed the course."), code="not_passed"
        )
    return evaluation


def _clean(
    questions: list[Question], data: Mapping[str, str], *, send: bool
) -> tuple[list[tuple[Question, int | None, str]], dict[str, str]]:
    answers: list[tuple[Question, int | None, str]] = []
    errors: dict[str, str] = {}
    for question in questions:
        raw = str(data.get(question.key, "") or "").strip()
        item = question.item
        if item.kind == ItemKind.SCALE:
            value: int | None = None
            if raw:
                if not raw.isdigit() or not SCALE_MIN <= int(raw) <= SCALE_MAX:
                    errors[question.key] = _("Choose a value from 1 to 5.")
                    continue
                value = int(raw)
            if value is None and send and item.required:
                errors[question.key] = _("This question is required.")
                continue
            if value is not None:
                answers.append((question, value, ""))
        else:
            if len(raw) > TEXT_MAX_LENGTH:
                errors[question.key] = _(
                    "At most %(max)d characters (this answer has %(length)d)."
                ) % {"max": TEXT_MAX_LENGTH, "length": len(raw)}
                continue
            if not raw and send and item.required:
                errors[question.key] = _("This question is required.")
                continue
            if raw:
                answers.append((question, None, raw))
    return answers, errors


@transaction.atomic
def evaluation_response_save(
    *,
    course: Course,
    user: User,
    data: Mapping[str, str],
    send: bool,
    now: dt.datetime | None = None,
) -> EvaluationResponse:
    """Save the learner's answers: a draft (`send=False`, required items may wait) or
    sent (`send=True`, final). Anything wrong raises and saves nothing."""
    evaluation = evaluation_may_answer(course=course, user=user)
    try:
        with transaction.atomic():
            response, _created = EvaluationResponse.objects.get_or_create(course=course, user=user)
    except IntegrityError:  # the same learner saving from two tabs at once
        response = EvaluationResponse.objects.get(course=course, user=user)
    # Locked: a draft saved and a send from another tab do not interleave.
    response = EvaluationResponse.objects.select_for_update().get(pk=response.pk)
    if response.is_sent:
        raise ServiceError(
            _("You have already sent your evaluation of this course; it cannot be changed."),
            code="already_sent",
        )
    answers, errors = _clean(evaluation_questions(evaluation=evaluation), data, send=send)
    if errors:
        raise AnswersInvalid(errors)
    response.answers.all().delete()
    EvaluationAnswer.objects.bulk_create(
        EvaluationAnswer(
            response=response,
            item=question.item,
            instructor=question.instructor,
            value=value,
            text=text,
        )
        for question, value, text in answers
    )
    fields = ["updated_at"]
    if send:
        response.submitted_at = now or timezone.now()
        fields.append("submitted_at")
    response.save(update_fields=fields)
    return response
