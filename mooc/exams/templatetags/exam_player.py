"""`{% course_exams course as exams %}`: the course's exams and the learner's state in each,
for the course player's slots. Two queries, once per request and course."""

from __future__ import annotations

from typing import Any

from django import template

from mooc.exams.selectors.attempts import CourseExams, course_exams_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def course_exams(context: template.Context, course: Any) -> CourseExams:
    request = context.get("request")
    user = context.get("user")
    cache: dict[int, CourseExams] | None = None
    if request is not None:
        cache = request.__dict__.setdefault("_course_exams", {})
        if course.pk in cache:
            return cache[course.pk]
    found = course_exams_for_user(course=course, user=user)
    if cache is not None:
        cache[course.pk] = found
    return found


@register.filter
def exam_name(exam: Any, vocab: Any) -> Any:
    """What an exam is called on the learner's pages: the title the admin gave it, else
    the vocabulary profile's word for its kind (pre-test or final test)."""
    if getattr(exam, "title", ""):
        return exam.title
    if getattr(exam, "is_pretest", False):
        return vocab.pretest
    return vocab.final_test
