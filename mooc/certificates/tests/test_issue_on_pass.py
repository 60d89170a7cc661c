"""The grade and the certificate land together or not at all: exams announces the pass
(`mooc.exams.signals.final_exam_passed`) inside the grading transaction, and the
certificates app issues the certificate in its receiver."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Enrollment, EnrollmentResult
from mooc.catalog.tests.factories import EnrollmentFactory
from mooc.certificates.models import Certificate
from mooc.certificates.tests.support import course_with_exam, take
from mooc.exams.models import Attempt, AttemptState
from mooc.exams.signals import final_exam_passed

pytestmark = pytest.mark.django_db


class SubscriberFailed(Exception):
    pass


@pytest.fixture
def failing_subscriber() -> Iterator[list[bool]]:
    """A subscriber connected after the certificates app's: it sees the certificate
    row written in the grading transaction, then fails."""
    saw_certificate: list[bool] = []

    def fail(sender: Any, *, enrollment: Enrollment, **kwargs: Any) -> None:
        saw_certificate.append(Certificate.objects.filter(enrollment=enrollment).exists())
        raise SubscriberFailed

    final_exam_passed.connect(fail, weak=False, dispatch_uid="test-failing-subscriber")
    try:
        yield saw_certificate
    finally:
        final_exam_passed.disconnect(dispatch_uid="test-failing-subscriber")


def test_passing_the_final_exam_commits_the_grade_and_the_certificate_together() -> None:
    course, exam = course_with_exam()
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)

    attempt = take(user, exam, right=True)

    assert attempt.state == AttemptState.GRADED and attempt.passed
    enrollment = Enrollment.objects.get(user=user, course=course)
    assert enrollment.result == EnrollmentResult.PASSED
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1


def test_a_failing_subscriber_rolls_back_the_grade_and_the_certificate(
    failing_subscriber: list[bool],
) -> None:
    course, exam = course_with_exam()
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)

    with pytest.raises(SubscriberFailed):
        take(user, exam, right=True)

    assert failing_subscriber == [True]  # the certificate was written, in the same transaction
    attempt = Attempt.objects.get(user=user, exam=exam)
    assert (attempt.state, attempt.score, attempt.passed) == (AttemptState.IN_PROGRESS, None, None)
    enrollment = Enrollment.objects.get(user=user, course=course)
    assert (enrollment.result, enrollment.final_score) == ("", None)
    assert not Certificate.objects.exists()
