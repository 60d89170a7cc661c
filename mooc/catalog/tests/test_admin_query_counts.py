"""The course and enrolment lists of the admin run a fixed number of SQL queries,
with 1 row as with 30, for a content admin as for an instructor (whose lists carry
the "own courses only" subquery)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from mooc.accounts.models import User
from mooc.accounts.tests.factories import (
    ContentAdminFactory,
    InstructorFactory,
    UserFactory,
    unit_tree,
)
from mooc.accounts.tests.helpers import logged_in
from mooc.catalog.tests.factories import INSTRUCTOR_PERMISSIONS, CourseFactory, EnrollmentFactory
from mooc.core.selectors import site_settings_get
from mooc.learning.tests.factories import MaterialFactory, SectionFactory

pytestmark = pytest.mark.django_db

# The session user (1), their user and group permissions (2), whether they are a course
# manager (1), the course filter or category filter (1), the count (1), the rows (1),
# the second-factor device that verified the session (1, django-otp).
BUDGET = 8
# The enrolment list also lists the units for its unit filter (1).
PAGE_EXTRA = {"admin:catalog_enrollment_changelist": 1}


def build(rows: int, role: str) -> User:
    _, kanwil, _ = unit_tree()
    courses = [CourseFactory.create(title=f"Kursus {i}", is_published=False) for i in range(rows)]
    for course in courses:
        material = MaterialFactory.create(section=SectionFactory.create(course=course))
        assert material.pk
        for _ in range(2):
            EnrollmentFactory.create(user=UserFactory.create(unit=kanwil), course=course)
    site_settings_get()
    return (
        ContentAdminFactory.create()
        if role == "content admin"
        else InstructorFactory.create(
            username="ani", courses=courses, permissions=INSTRUCTOR_PERMISSIONS
        )
    )


@pytest.mark.parametrize("role", ["content admin", "instructor"])
@pytest.mark.parametrize("rows", [1, 30])
@pytest.mark.parametrize(
    "page",
    [
        "admin:catalog_course_changelist",
        "admin:catalog_enrollment_changelist",
        "admin:learning_section_changelist",
        "admin:learning_material_changelist",
    ],
)
def test_admin_lists_run_a_fixed_number_of_queries(
    client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    rows: int,
    role: str,
    page: str,
) -> None:
    user = build(rows, role)
    staff_client = logged_in(client, user)
    # The first request after signing in stamps the session; measure the ones after it.
    staff_client.get(reverse("admin:index"))

    with django_assert_max_num_queries(BUDGET + PAGE_EXTRA.get(page, 0)):
        response = staff_client.get(reverse(page))

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == (rows * 2 if "enrollment" in page else rows)
