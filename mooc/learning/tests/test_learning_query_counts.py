"""The player's SQL budgets: the same number of queries for a course of one material as for
one of 50 sections × 50 materials, however much of it the learner has done.

Site settings are cached first, and the first request after login (which stores the
session's last-seen time) is made before measuring, so these are the pages' own queries.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Course
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.core.selectors import site_settings_get
from mooc.learning.models import Material, MaterialProgress
from mooc.learning.tests.helpers import complete_url, material_url, materials_of

pytestmark = pytest.mark.django_db

MaxQueries = Callable[[int], AbstractContextManager[object]]


@dataclass
class Player:
    client: Client
    course: Course
    materials: list[Material]


@pytest.fixture(params=[(1, 1), (50, 50)], ids=["1x1", "50x50"])
def player(client: Client, request: pytest.FixtureRequest) -> Player:
    sections, per_section = request.param
    course = CourseFactory.create(sections=sections, materials=per_section)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    materials = materials_of(course)
    MaterialProgress.objects.bulk_create(
        MaterialProgress(user=user, material=material, course=course)
        for material in materials[: len(materials) // 2]
    )
    materials[-1].attachments.create(title="Lampiran", file="attachments/lampiran.pdf")
    client.force_login(user)
    client.get(reverse("learning:course_start", args=[course.slug]))
    site_settings_get()
    return Player(client, course, materials)


def test_material_page_query_budget(
    player: Player, django_assert_max_num_queries: MaxQueries
) -> None:
    # User, course, enrolment; progress ids, sections, outline materials; the material,
    # its attachments; the course's exams with the learner's state (the outline slot).
    with django_assert_max_num_queries(9):
        response = player.client.get(material_url(player.course, player.materials[-1]))
    assert response.status_code == 200


def test_course_start_query_budget(
    player: Player, django_assert_max_num_queries: MaxQueries
) -> None:
    # User, course, enrolment; progress ids, sections, outline materials.
    with django_assert_max_num_queries(6):
        response = player.client.get(reverse("learning:course_start", args=[player.course.slug]))
    assert response.status_code == 302


def test_next_query_budget(player: Player, django_assert_max_num_queries: MaxQueries) -> None:
    # User, course, enrolment; the outline (3); material_complete: enrolment, existing
    # progress, then a savepoint around the insert (3 on SQLite, where the savepoint and
    # its release are statements too).
    with django_assert_max_num_queries(11):
        response = player.client.post(complete_url(player.course, player.materials[-1]))
    assert response.status_code == 302


def test_course_end_query_budget(player: Player, django_assert_max_num_queries: MaxQueries) -> None:
    # The outline (6) and the course's exams, read once for both slots.
    with django_assert_max_num_queries(7):
        response = player.client.get(reverse("learning:course_end", args=[player.course.slug]))
    assert response.status_code == 200
