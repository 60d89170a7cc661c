"""The learner's evaluation page runs a fixed number of queries, however many
instructors the course rates and whatever the learner has answered already."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Instructor
from mooc.catalog.tests.factories import EnrollmentFactory
from mooc.evaluation.selectors import evaluation_questions
from mooc.evaluation.services import evaluation_response_save
from mooc.evaluation.tests.factories import course_with_evaluation

pytestmark = pytest.mark.django_db

# Session, learner, course, enrolment, evaluation, its items, instructors (warm caches);
# a draft adds its response and answers.
PAGE_QUERIES = 7
DRAFT_QUERIES = 2


def _page_queries(instructors: int, *, draft: bool) -> int:
    evaluation = course_with_evaluation()
    course = evaluation.course
    course.instructors.add(
        *(Instructor.objects.create(name=f"Instruktur {i}") for i in range(instructors))
    )
    learner = UserFactory.create()
    EnrollmentFactory.create(user=learner, course=course, completed=True)
    if draft:
        first = evaluation_questions(evaluation=evaluation)[0]
        evaluation_response_save(course=course, user=learner, data={first.key: "4"}, send=False)
    client = Client()
    client.force_login(learner)
    url = reverse("evaluation:form", args=[course.slug])
    client.get(url)  # the site's settings and vocabulary are cached from the first page on
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_evaluation_page_runs_its_pinned_number_of_queries() -> None:
    assert _page_queries(1, draft=False) == PAGE_QUERIES
    assert _page_queries(4, draft=False) == PAGE_QUERIES  # not one query per instructor
    assert _page_queries(4, draft=True) == PAGE_QUERIES + DRAFT_QUERIES


# The learner, the course, and one EXISTS for "does an evaluation wait for them" (the
# session comes from the cache).
FINISH_QUERIES = 3


def test_selesai_runs_its_pinned_number_of_queries() -> None:
    evaluation = course_with_evaluation()
    learner = UserFactory.create()
    EnrollmentFactory.create(user=learner, course=evaluation.course, completed=True)
    client = Client()
    client.force_login(learner)
    url = reverse("evaluation:finish", args=[evaluation.course.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 302
    assert len(queries) == FINISH_QUERIES, [q["sql"] for q in queries]
