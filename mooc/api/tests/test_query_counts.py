"""The API's reads run a fixed number of queries: pinned per endpoint, and the same
with one course, material and attempt as with several (no query per row)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UserFactory
from mooc.api.tests.support import Api
from mooc.catalog.models import Course, Enrollment
from mooc.catalog.tests.factories import EnrollmentFactory
from mooc.certificates.models import Certificate
from mooc.certificates.services import certificate_complete
from mooc.certificates.tests.support import course_with_exam, take
from mooc.exams.models import Attempt, Exam
from mooc.learning.tests.factories import AttachmentFactory, MaterialFactory, SectionFactory

pytestmark = pytest.mark.django_db

# Queries per request, the device-token read (with its user) included; the public
# endpoints (categories, news, FAQ) read no token.
BUDGETS = {
    "/me/": 1,
    "/me/devices/": 2,
    "/categories/": 1,
    "/courses/": 2,
    "/courses/{slug}/": 6,
    "/courses/{slug}/outline/": 7,
    "/courses/{slug}/materials/{material}/": 8,
    "/me/favourites/": 2,
    "/me/dashboard/": 3,
    "/me/courses/": 5,
    "/exams/{exam}/": 6,
    "/attempts/{attempt}/result/": 2,
    "/me/attempts/": 2,
    "/me/certificates/": 2,
    "/me/certificates/{certificate}/": 2,
    "/news/": 1,
    "/faq/": 1,
}


def _course(learner: User, *, materials: int) -> tuple[Course, Exam, int]:
    course, exam = course_with_exam(max_attempts=5, allow_retake_after_pass=True)
    section = SectionFactory.create(course=course)
    first = 0
    for order in range(1, materials + 1):
        material = MaterialFactory.create(section=section, order=order)
        AttachmentFactory.create(material=material)
        first = first or material.pk
    EnrollmentFactory.create(user=learner, course=course)
    return course, exam, first


def _counts(learner: User, course: Course, exam: Exam, material: int) -> dict[str, int]:
    # As the worker leaves them after a pass (a pending one is finished by the first read).
    for pending in Certificate.objects.filter(user=learner, number__isnull=True):
        certificate_complete(pending.pk)
    attempt = Attempt.objects.filter(user=learner, exam=exam).latest("pk")
    certificate = Certificate.objects.filter(user=learner).latest("pk")
    api = Api(learner)
    found = {}
    for path in BUDGETS:
        url = path.format(
            slug=course.slug,
            material=material,
            exam=exam.pk,
            attempt=attempt.pk,
            certificate=certificate.pk,
        )
        with CaptureQueriesContext(connection) as queries:
            response = api.get(url)
        assert response.status_code == 200, (url, response.content)
        found[path] = len(queries)
    return found


def test_each_read_runs_its_pinned_number_of_queries_however_much_there_is() -> None:
    learner = UserFactory.create()
    course, exam, material = _course(learner, materials=1)
    take(learner, exam, right=True)
    small = _counts(learner, course, exam, material)

    # More of everything: courses, materials with attachments, attempts, certificates.
    for _ in range(2):
        _other, other_exam, _first = _course(learner, materials=3)
        take(learner, other_exam, right=True)
    MaterialFactory.create_batch(3, section=course.sections.get())
    take(learner, exam, right=False)
    Enrollment.objects.filter(user=learner).update(final_score=90)
    large = _counts(learner, course, exam, material)

    assert small == large
    assert small == BUDGETS
