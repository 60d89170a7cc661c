"""load_demo: a course with a pre-test, the default evaluation and some responses."""

from __future__ import annotations

import pytest

from mooc.catalog.models import Course
from mooc.evaluation.defaults import DEFAULT_TEMPLATE_KEY
from mooc.evaluation.demo import DEMO_COURSE, load
from mooc.evaluation.models import CourseEvaluation, EvaluationResponse
from mooc.exams.models import Attempt
from mooc.reports.selectors.evaluation import (
    MIN_ANONYMOUS_RESPONSES,
    evaluation_report,
    gain_report,
)


def test_the_demo_course_has_a_pretest_an_evaluation_and_responses(demo_content: None) -> None:
    course = Course.objects.get(slug=DEMO_COURSE)
    evaluation = CourseEvaluation.objects.get(course=course)
    assert evaluation.template.key == DEFAULT_TEMPLATE_KEY and evaluation.anonymous
    report = evaluation_report(course=course)
    assert report.responses >= MIN_ANONYMOUS_RESPONSES and not report.counts_only
    assert report.instructors  # the default template rates each instructor
    gain = gain_report(course=course)
    assert gain.both > 0 and gain.mean_gain is not None

    before = (EvaluationResponse.objects.count(), Attempt.objects.count())
    load()
    assert (EvaluationResponse.objects.count(), Attempt.objects.count()) == before


@pytest.mark.django_db
def test_nothing_happens_without_the_demo_course() -> None:
    load()
    assert not EvaluationResponse.objects.exists()
