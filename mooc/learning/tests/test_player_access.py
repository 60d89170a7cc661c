"""Only enrolled learners and the course's staff open the player; everyone else is sent
to login or to the course page to enrol, whatever URL they type."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from mooc.accounts.roles import ROLE_CONTENT_ADMIN
from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Course
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.learning.models import MaterialProgress
from mooc.learning.permissions import can_study
from mooc.learning.tests.helpers import complete_url, material_url, materials_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def course() -> Course:
    return CourseFactory.create(slug="literasi-digital", sections=2, materials=2)


def player_urls(course: Course) -> list[str]:
    first = materials_of(course)[0]
    return [
        reverse("learning:course_start", args=[course.slug]),
        material_url(course, first),
        reverse("learning:course_end", args=[course.slug]),
    ]


def test_a_visitor_is_sent_to_login_and_back(client: Client, course: Course) -> None:
    login = reverse("accounts:login")
    for url in player_urls(course):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{login}?next={url}"


def test_a_visitor_pressing_next_comes_back_to_the_course_after_login(
    client: Client, course: Course
) -> None:
    response = client.post(complete_url(course, materials_of(course)[0]))
    start = reverse("learning:course_start", args=[course.slug])
    assert response["Location"] == f"{reverse('accounts:login')}?next={start}"
    assert not MaterialProgress.objects.exists()


def test_a_learner_not_enrolled_is_sent_to_the_course_page_to_enrol(
    client: Client, course: Course
) -> None:
    client.force_login(UserFactory.create())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in player_urls(course):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/pelatihan/{course.slug}/"
        message = list(get_messages(response.wsgi_request))[-1]
        assert str(message) == "To open the materials, press “Take This Course” first."


def test_a_learner_not_enrolled_cannot_mark_a_material_done(client: Client, course: Course) -> None:
    client.force_login(UserFactory.create())
    response = client.post(complete_url(course, materials_of(course)[0]))
    assert response["Location"] == f"/pelatihan/{course.slug}/"
    assert not MaterialProgress.objects.exists()


def test_enrolling_in_one_course_opens_only_that_course(client: Client, course: Course) -> None:
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=CourseFactory.create(sections=2, materials=2))
    client.force_login(user)
    response = client.get(material_url(course, materials_of(course)[0]))
    assert response["Location"] == f"/pelatihan/{course.slug}/"


def test_an_unpublished_course_is_404_even_for_its_enrolled_learners(client: Client) -> None:
    course = CourseFactory.create(is_published=False, sections=2, materials=2)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    client.force_login(user)
    for url in player_urls(course):
        assert client.get(url).status_code == 404
    assert not can_study(user, course)


def test_the_course_staff_open_the_player_without_enrolling(client: Client) -> None:
    course = CourseFactory.create(is_published=False, sections=2, materials=2)
    instructor = UserFactory.create()
    course.staff.add(instructor)
    client.force_login(instructor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    first, second, *_ = materials_of(course)

    response = client.get(material_url(course, first))
    assert response.status_code == 200
    assert "your progress is not recorded" in response.content.decode()
    # "Selanjutnya" still moves on, without an enrolment to record progress against.
    assert client.post(complete_url(course, first))["Location"] == material_url(course, second)
    assert not MaterialProgress.objects.exists()


def test_superusers_and_content_admins_open_every_course(client: Client, course: Course) -> None:
    superuser = UserFactory.create(is_superuser=True, is_staff=True)
    content_admin = UserFactory.create(is_staff=True)
    content_admin.groups.add(Group.objects.get_or_create(name=ROLE_CONTENT_ADMIN)[0])
    for user in (superuser, content_admin):
        assert can_study(user, course)
        client.force_login(user)
        assert client.get(material_url(course, materials_of(course)[0])).status_code == 200


def test_an_instructor_of_another_course_cannot_open_this_one(course: Course) -> None:
    instructor = UserFactory.create(is_staff=True)
    instructor.user_permissions.add(
        Permission.objects.get(content_type__app_label="catalog", codename="change_course")
    )
    CourseFactory.create(sections=2, materials=2).staff.add(instructor)
    assert not can_study(instructor, course)


def test_an_enrolled_staff_member_records_progress_like_a_learner(
    client: Client, course: Course
) -> None:
    instructor = UserFactory.create()
    course.staff.add(instructor)
    EnrollmentFactory.create(user=instructor, course=course)
    client.force_login(instructor)
    first = materials_of(course)[0]
    client.post(complete_url(course, first))
    assert MaterialProgress.objects.filter(user=instructor, material=first).exists()


def test_a_deactivated_account_cannot_study(course: Course) -> None:
    user = UserFactory.create(is_active=False)
    EnrollmentFactory.create(user=user, course=course)
    assert not can_study(user, course)
