"""SQL budgets per page, with 1 and with 50 courses, sections, materials, instructors,
enrolments and favourites: the count must not grow with the data.

Site settings are read through the cache and primed before measuring, and the session
comes from the cache (cached_db), so these are the page's own queries. The signed-in
numbers include loading the user (1).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.test import Client
from django.urls import reverse

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UnitFactory, UserFactory
from mooc.catalog.models import Course, Favorite, Instructor
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.core.selectors import site_settings_get
from mooc.learning.models import Material, MaterialProgress

pytestmark = pytest.mark.django_db

MaxQueries = Callable[[int], AbstractContextManager[object]]
SIZES = [1, 50]


@pytest.fixture
def world() -> Callable[[int], tuple[User, Course]]:
    """`n` of everything: a course with n sections of n materials and n instructors;
    n active and n completed enrolments (with progress) and n favourites for the
    learner; n more courses the learner has not taken."""

    def build(n: int) -> tuple[User, Course]:
        user = UserFactory.create(
            unit=UnitFactory.create(
                parent=UnitFactory.create(name="Kementerian Demo"), name="Kantor Wilayah Jawa Barat"
            )
        )
        detail = CourseFactory.create(title="Kursus Besar", sections=n, materials=n)
        detail.instructors.add(
            *(Instructor.objects.create(name=f"Instruktur {i}") for i in range(n))
        )
        for _ in range(n):
            active = CourseFactory.create(sections=1, materials=2)
            EnrollmentFactory.create(user=user, course=active)
            material = Material.objects.filter(section__course=active).first()
            assert material is not None
            MaterialProgress.objects.create(user=user, material=material, course=active)
            EnrollmentFactory.create(
                user=user, course=CourseFactory.create(sections=1, materials=2), completed=True
            )
            Favorite.objects.create(user=user, course=active)
            CourseFactory.create()
        site_settings_get()
        return user, detail

    return build


@pytest.mark.parametrize("n", SIZES)
def test_visitor_pages_query_budget(
    client: Client,
    django_assert_max_num_queries: MaxQueries,
    world: Callable[[int], tuple[User, Course]],
    n: int,
) -> None:
    _, detail = world(n)
    budgets = [
        # Categories for the filter (1), the page count (1), the page of courses (1).
        (reverse("catalog:catalogue"), 3),
        (reverse("catalog:catalogue") + "?q=kursus&level=dasar&page=2", 3),
        # The course with its counts (1), instructors (1), sections (1), materials (1).
        (detail.get_absolute_url(), 4),
        # News (1, the content app's) and the catalogue highlights (1).
        (reverse("content:home"), 2),
    ]
    for url, budget in budgets:
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("n", SIZES)
def test_signed_in_pages_query_budget(
    client: Client,
    django_assert_max_num_queries: MaxQueries,
    world: Callable[[int], tuple[User, Course]],
    n: int,
) -> None:
    user, detail = world(n)
    client.force_login(user)
    client.get(reverse("catalog:dashboard"))  # the session's "last seen" is written once
    budgets = [
        # The visitor's queries, plus the user (1) and the hearts on this page (1).
        (reverse("catalog:catalogue"), 5),
        (reverse("catalog:catalogue") + "?q=kursus&level=dasar&page=2", 5),
        # The user (1); enrolled and favourite come with the course as EXISTS subqueries.
        (detail.get_absolute_url(), 5),
        # User (1), unit on the profile card (1), totals and JP (1), continue learning (1),
        # its progress (2), available courses (1) and their hearts (1).
        (reverse("catalog:dashboard"), 9),  # + the JP ledger (mooc.reports)
        # User (1), page count (1), the page (1).
        (reverse("catalog:favorites"), 3),
        # User (1), page count (1), the page (1), progress (2), tab totals (1).
        (reverse("catalog:my_courses"), 6),
        (reverse("catalog:my_courses") + "?tab=aktif", 6),
        (reverse("catalog:my_courses") + "?tab=selesai", 6),
    ]
    for url, budget in budgets:
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200, url
