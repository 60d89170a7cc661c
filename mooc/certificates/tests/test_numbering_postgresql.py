"""Twenty learners passing in the same instant get twenty consecutive numbers.

Real threads with their own PostgreSQL connections; skipped on SQLite, which
serialises writers and cannot show the race.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Enrollment
from mooc.catalog.tests.factories import EnrollmentFactory
from mooc.certificates.models import Certificate
from mooc.certificates.tests.support import course_with_exam, take
from mooc.exams.services.attempts import attempt_start
from mooc.exams.tests.helpers import in_threads

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_twenty_simultaneous_passes_get_twenty_consecutive_numbers() -> None:
    course, exam = course_with_exam()
    users = [UserFactory.create() for _ in range(20)]
    for user in users:
        EnrollmentFactory.create(user=user, course=course)
        attempt_start(exam=exam, user=user)

    def submit_for(user: Any) -> Any:
        return lambda: take(user, exam, right=True)

    results = in_threads([submit_for(user) for user in users])
    assert not [r for r in results if isinstance(r, Exception)], results

    assert Enrollment.objects.filter(course=course, result="passed").count() == 20
    certificates = list(Certificate.objects.filter(course=course))
    assert len(certificates) == 20
    year = timezone.localdate().year
    assert sorted(c.sequence for c in certificates) == list(range(1, 21))  # type: ignore[type-var]
    assert sorted(c.number for c in certificates) == [  # type: ignore[type-var]
        f"BPSDM/{year}/{n:06d}" for n in range(1, 21)
    ]
    assert len({c.code for c in certificates}) == 20
