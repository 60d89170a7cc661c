"""The pre-test: one attempt, before the final test, never deciding the course; the gain."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Enrollment
from mooc.catalog.tests.factories import EnrollmentFactory
from mooc.certificates.models import Certificate
from mooc.certificates.tests.support import client_for, course_with_exam, take
from mooc.core.errors import ServiceError
from mooc.exams.grading import learning_gain, normalized_gain
from mooc.exams.services.attempts import attempt_start
from mooc.exams.tests.factories import ExamFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("pre", "post", "gain", "normalized"),
    [
        (Decimal(40), Decimal(70), Decimal(30), Decimal("0.500")),
        (Decimal(0), Decimal(80), Decimal(80), Decimal("0.800")),  # pre 0: post / 100
        (Decimal(100), Decimal(90), Decimal(-10), None),  # pre 100: nothing left to learn
        (Decimal(60), Decimal(45), Decimal(-15), Decimal("-0.375")),
        (None, Decimal(80), None, None),  # no pre-test
        (Decimal(50), None, None, None),  # no final test yet
    ],
)
def test_gain_and_normalized_gain(
    pre: Decimal | None, post: Decimal | None, gain: Decimal | None, normalized: Decimal | None
) -> None:
    assert learning_gain(pre=pre, post=post) == gain
    assert normalized_gain(pre=pre, post=post) == normalized


def test_the_pretest_takes_one_attempt_and_never_decides_the_course() -> None:
    course, final = course_with_exam()
    pretest = ExamFactory.create(
        course=course, is_final=False, is_pretest=True, title="Pre-test", passing_grade=50
    )
    learner = UserFactory.create()
    EnrollmentFactory.create(user=learner, course=course)
    attempt = take(learner, pretest, right=True)
    assert attempt.passed
    enrollment = Enrollment.objects.get()
    assert enrollment.result == "" and enrollment.final_score is None
    assert not Certificate.objects.exists()
    with pytest.raises(ServiceError) as refused:
        attempt_start(exam=pretest, user=learner)
    assert refused.value.code == "pretest_taken"

    other = UserFactory.create()
    EnrollmentFactory.create(user=other, course=course)
    take(other, final, right=False)
    with pytest.raises(ServiceError) as late:
        attempt_start(exam=pretest, user=other)
    assert late.value.code == "pretest_after_final"


def test_after_the_final_test_the_learner_sees_the_gain() -> None:
    course, final = course_with_exam()
    pretest = ExamFactory.create(course=course, is_final=False, is_pretest=True, title="Pre")
    learner = UserFactory.create()
    EnrollmentFactory.create(user=learner, course=course)
    client = client_for(learner)
    landing = client.get(reverse("exams:landing", args=[pretest.pk])).content.decode()
    assert 'data-testid="pretest-note"' in landing and 'data-testid="passing-grade"' not in landing
    assert 'data-testid="attempts-left">1<' in landing
    pre = take(learner, pretest, right=False)
    page = client.get(reverse("exams:result", args=[pre.pk])).content.decode()
    assert 'data-testid="to-materials"' in page and 'data-testid="status"' not in page
    post = take(learner, final, right=True)
    page = client.get(reverse("exams:result", args=[post.pk])).content.decode()
    assert 'data-testid="pretest-score">0<' in page
    assert 'data-testid="gain">+100<' in page
