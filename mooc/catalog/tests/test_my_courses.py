"""My courses ("Kursus yang Diikuti" / "Pelatihan") and its three tabs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UserFactory
from mooc.accounts.tests.helpers import in_english, signed_in
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.core.models import SiteSettings
from mooc.core.vocabulary import VocabularyProfile

pytestmark = pytest.mark.django_db

URL = reverse("catalog:my_courses")


@pytest.fixture
def learner(learner: User, client: Client) -> User:
    """The shared learner, signed in: studying one course, passed one, failed one; and
    someone else's enrolment that must not show."""
    user = signed_in(client, learner)
    EnrollmentFactory.create(user=user, course=CourseFactory.create(title="Sedang Dipelajari"))
    EnrollmentFactory.create(
        user=user,
        course=CourseFactory.create(title="Lulus Dengan Baik"),
        passed=True,
        completed=True,
    )
    EnrollmentFactory.create(
        user=user,
        course=CourseFactory.create(title="Belum Beruntung"),
        passed=False,
        completed=True,
    )
    EnrollmentFactory.create(
        user=UserFactory.create(), course=CourseFactory.create(title="Kursus Orang Lain")
    )
    return user


def shown(response: Any) -> list[str]:
    return sorted(row.enrollment.course.title for row in response.context["rows"])


def test_the_title_is_the_institutions_word(client: Client) -> None:
    signed_in(client)
    assert re.search(r"<h1[^>]*>Kursus yang Diikuti</h1>", client.get(URL).content.decode())

    SiteSettings.objects.update_or_create(
        id=SiteSettings.SINGLETON_ID,
        defaults={"vocabulary_profile": VocabularyProfile.KEMENIMIPAS},
    )
    assert re.search(r"<h1[^>]*>Pelatihan</h1>", client.get(URL).content.decode())


@pytest.mark.usefixtures("learner")
def test_the_first_tab_lists_every_course_taken(client: Client) -> None:
    response = client.get(URL)

    assert shown(response) == ["Belum Beruntung", "Lulus Dengan Baik", "Sedang Dipelajari"]
    assert re.search(r'href="/kursus-saya/" aria-current="page"', response.content.decode())


@pytest.mark.usefixtures("learner")
def test_the_active_tab_lists_active_courses(client: Client) -> None:
    response = client.get(URL, {"tab": "aktif"})

    assert shown(response) == ["Sedang Dipelajari"]
    assert 'href="/kursus-saya/?tab=aktif" aria-current="page"' in response.content.decode()


@pytest.mark.usefixtures("learner")
def test_the_completed_tab_shows_passed_and_failed_with_a_review_link(client: Client) -> None:
    response = in_english(client).get(URL, {"tab": "selesai"})

    assert shown(response) == ["Belum Beruntung", "Lulus Dengan Baik"]
    html = response.content.decode()
    assert 'href="/kursus-saya/?tab=selesai" aria-current="page"' in html
    tabs = html.split('class="nav nav-pills')[1].split("</ul>")[0]
    assert tabs.count('aria-current="page"') == 1
    assert ">Passed</span>" in html and ">Failed</span>" in html
    passed = html.split("Lulus Dengan Baik</a>")[1].split("</li>")[0]
    slug = response.context["rows"][0].enrollment.course.slug
    assert f'href="{reverse("learning:course_start", args=[slug])}"' in html
    assert "Review materials" in passed


@pytest.mark.usefixtures("learner")
def test_the_tabs_show_their_counts(client: Client) -> None:
    html = client.get(URL).content.decode()

    counts = re.findall(r'<span class="badge text-bg-secondary">(\d+)</span></a>', html)
    assert counts == ["3", "1", "2"]


@pytest.mark.usefixtures("learner")
def test_an_unknown_tab_shows_everything(client: Client) -> None:
    assert len(client.get(URL, {"tab": "semua"}).context["rows"]) == 3


def test_an_active_row_shows_progress_and_continue_learning(client: Client) -> None:
    user = signed_in(in_english(client))
    course = CourseFactory.create(title="Literasi Digital", sections=1, materials=2)
    EnrollmentFactory.create(user=user, course=course)

    html = client.get(URL).content.decode()

    assert 'role="progressbar"' in html and 'aria-valuetext="0 of 2 materials done"' in html
    start_url = reverse("learning:course_start", args=[course.slug])
    assert f'href="{start_url}">Continue Learning' in html


def test_an_empty_list_points_to_the_catalogue(client: Client) -> None:
    signed_in(client)

    html = client.get(URL, {"tab": "selesai"}).content.decode()

    assert "empty-state" in html and f'href="{reverse("catalog:catalogue")}"' in html


def test_my_courses_needs_login(client: Client) -> None:
    response = client.get(URL)

    assert response.status_code == 302 and response["Location"].startswith("/login/")
