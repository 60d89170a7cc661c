"""The course and enrolment lists of the admin run a fixed number of SQL queries,
with 1 row as with 30, for a content admin as for an instructor (whose lists carry
the "own courses only" subquery)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mooc.accounts.models import User
from mooc.catalog.tests.test_admin_support import (
    enrol,
    logged_in,
    make_content_admin,
    make_course,
    make_instructor,
    make_material,
    make_section,
    make_units,
    make_user,
)
from mooc.core.selectors import site_settings_get

pytestmark = pytest.mark.django_db

# The session user (1), their user and group permissions (2), whether they are a course
# manager (1), the course filter or category filter (1), the count (1), the rows (1),
# the second-factor device that verified the session (1, django-otp).
BUDGET = 8


def build(rows: int, role: str) -> User:
    _, kanwil, _ = make_units()
    courses = [make_course(f"Kursus {i}") for i in range(rows)]
    for course in courses:
        material = make_material(make_section(course))
        assert material.pk
        for _ in range(2):
            enrol(make_user(unit=kanwil), course)
    site_settings_get()
    return make_content_admin() if role == "content admin" else make_instructor("ani", *courses)


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
def test_admin_lists_run_a_fixed_number_of_queries(  # type: ignore[no-untyped-def]
    client: Client, django_assert_max_num_queries, rows: int, role: str, page: str
) -> None:
    user = build(rows, role)
    staff_client = logged_in(client, user)
    # The first request after signing in stamps the session; measure the ones after it.
    staff_client.get(reverse("admin:index"))

    with django_assert_max_num_queries(BUDGET):
        response = staff_client.get(reverse(page))

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == (rows * 2 if "enrollment" in page else rows)
