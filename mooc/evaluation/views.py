"""The learner's evaluation page: answer, save a draft, send."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from mooc.accounts.models import User
from mooc.catalog.models import Course
from mooc.core.errors import ServiceError
from mooc.evaluation.models import CourseEvaluation, EvaluationResponse
from mooc.evaluation.selectors import (
    Question,
    evaluation_questions,
    evaluation_response_of,
    evaluation_waits_for,
)
from mooc.evaluation.services import (
    AnswersInvalid,
    evaluation_may_answer,
    evaluation_response_save,
)


def _saved_values(response: EvaluationResponse | None) -> dict[str, str]:
    if response is None:
        return {}
    values = {}
    for answer in response.answers.all():
        key = Question(item=answer.item, instructor=answer.instructor).key
        values[key] = str(answer.value) if answer.value is not None else answer.text
    return values


def _groups(
    questions: list[Question], values: dict[str, str], errors: dict[str, str]
) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for question in questions:
        if not groups or groups[-1]["title"] != question.group:
            groups.append({"title": question.group, "rows": []})
        groups[-1]["rows"].append(
            {
                "q": question,
                "value": values.get(question.key, ""),
                "error": errors.get(question.key, ""),
            }
        )
    return groups


def _after_send(course: Course) -> str:
    if course.gives_certificate:
        return _certificate_url(course)
    return course.get_absolute_url()


def _certificate_url(course: Course) -> str:
    return reverse("certificates:for_course", args=[course.slug])


@require_safe
@never_cache
@login_required
def evaluation_finish(request: HttpRequest, slug: str) -> HttpResponse:
    """Where "Selesai" on a passed final exam leads: the course's evaluation while the
    learner has not sent it (whether or not the certificate waits for it), then the
    certificate, or the course page when the course gives none."""
    user = request.user
    assert isinstance(user, User)
    course = get_object_or_404(Course, slug=slug)
    if evaluation_waits_for(user=user, course=course):
        messages.info(request, _("One more step: please tell us how the training went."))
        return redirect("evaluation:form", slug=course.slug)
    return redirect(_after_send(course))


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def evaluation_form(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    course = get_object_or_404(Course, slug=slug)
    try:
        evaluation = evaluation_may_answer(course=course, user=user)
    except ServiceError as error:
        if error.code == "no_evaluation":
            raise Http404 from None
        return render(
            request,
            "evaluation/closed.html",
            {"course": course, "message": error.message},
            status=403,
        )
    errors: dict[str, str] = {}
    if request.method == "POST":
        send = "send" in request.POST
        try:
            evaluation_response_save(course=course, user=user, data=request.POST, send=send)
        except AnswersInvalid as error:
            errors = error.errors
            messages.error(request, str(error.message))
        except ServiceError as error:
            messages.error(request, str(error.message))
            return redirect("evaluation:form", slug=course.slug)
        else:
            if send:
                messages.success(request, _("Thank you: your evaluation has been sent."))
                return redirect(_after_send(course))
            messages.success(request, _("Your answers are saved as a draft."))
            return redirect("evaluation:form", slug=course.slug)
    response = evaluation_response_of(course=course, user=user)
    values = request.POST.dict() if errors else _saved_values(response)
    return render(
        request,
        "evaluation/form.html",
        _context(course, evaluation, response, values, errors),
        status=400 if errors else 200,
    )


def _context(
    course: Course,
    evaluation: CourseEvaluation,
    response: EvaluationResponse | None,
    values: dict[str, str],
    errors: dict[str, str],
) -> dict[str, Any]:
    questions = evaluation_questions(evaluation=evaluation)
    return {
        "course": course,
        "evaluation": evaluation,
        "response": response,
        "groups": _groups(questions, values, errors),
        "scale": range(1, 6),
        "certificate_url": _certificate_url(course) if course.gives_certificate else "",
    }
