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
