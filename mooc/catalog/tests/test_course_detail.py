"""The course page: everything of SPEC item 10, the enrol button's states, previews."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mooc.accounts.tests.factories import UserFactory
from mooc.accounts.tests.helpers import in_english, signed_in
from mooc.catalog.models import Course, Favorite, Instructor, Level
from mooc.catalog.services import course_instructors_set
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.core.models import SiteSettings
from mooc.core.vocabulary import VocabularyProfile
from mooc.learning.models import Material, Section

pytestmark = pytest.mark.django_db


def page(client: Client, course: Course) -> str:
    response = client.get(course.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_title_summary_participants_and_instructors(client: Client) -> None:
    course = CourseFactory.create(
        title="Etika Pelayanan Publik", summary="Melayani dengan integritas."
    )
    # The lead instructor first, whatever the alphabet says.
    course_instructors_set(
        course=course,
        instructors=[
            Instructor.objects.create(name="Dr. Siti Rahma", title="Widyaiswara Ahli Madya"),
            Instructor.objects.create(name="Budi Hartono", bio="Praktisi pelayanan publik."),
        ],
    )
    for _ in range(4):
        EnrollmentFactory.create(user=UserFactory.create(), course=course)

    html = page(in_english(client), course)

    assert re.search(r"<h1[^>]*>Etika Pelayanan Publik</h1>", html)
    assert html.count("<h1") == 1
    assert "Melayani dengan integritas." in html
    assert "Participants: <strong>4</strong>" in html
    assert "Dr. Siti Rahma, Budi Hartono" in html
    assert html.index("Widyaiswara Ahli Madya") < html.index("Praktisi pelayanan publik.")
    assert "Instructor Profiles" in html
    assert "Widyaiswara Ahli Madya" in html and "Praktisi pelayanan publik." in html


def test_it_shows_description_requirements_and_the_syllabus_of_current_materials(
    client: Client,
) -> None:
    course = CourseFactory.create(
        title="Orientasi ASN",
        description="<p>Pengenalan <strong>nilai dasar</strong> ASN.</p>",
        requirements="<p>Pegawai baru.</p>",
        sections=2,
        materials=2,
    )
    retired_section = Section.objects.create(course=course, title="Bagian Lama", is_retired=True)
    Material.objects.create(section=retired_section, title="Materi di bagian lama")
    Material.objects.create(
        section=course.sections.get(title="Bagian 1"), title="Materi pensiun", is_retired=True
    )

    html = page(in_english(client), course)

    assert "<p>Pengenalan <strong>nilai dasar</strong> ASN.</p>" in html
    assert "<p>Pegawai baru.</p>" in html
    for title in ("Bagian 1", "Bagian 2", "Materi 1.1", "Materi 1.2", "Materi 2.1", "Materi 2.2"):
        assert title in html
    assert "Bagian Lama" not in html
    assert "Materi pensiun" not in html and "Materi di bagian lama" not in html
    assert re.search(r"Number of Materials</dt>\s*<dd[^>]*>4</dd>", html)


def test_the_side_summary_shows_duration_level_jp_and_certificate(client: Client) -> None:
    course = CourseFactory.create(
        title="Analisis Kebijakan",
        duration_days=30,
        level=Level.ADVANCED,
        jp=24,
        gives_certificate=False,
    )

    html = page(in_english(client), course)

    assert re.search(r"Duration</dt>\s*<dd[^>]*>30 days</dd>", html)
    assert re.search(r"Level</dt>\s*<dd[^>]*>Advanced</dd>", html)
    assert re.search(r"Lesson Hours \(JP\)</dt>\s*<dd[^>]*>24 JP</dd>", html)
    assert re.search(r"Certificate</dt>\s*<dd[^>]*>No</dd>", html)


def test_the_preview_video_loads_nothing_remote_until_played(client: Client) -> None:
    course = CourseFactory.create(preview_video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")

    html = page(client, course)

    assert 'data-embed-url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert "<iframe" not in html
    assert not re.search(r'<img[^>]+src="https?://', html)


def test_a_visitor_is_sent_to_login_with_the_enrol_page_as_next(client: Client) -> None:
    course = CourseFactory.create()

    html = page(client, course)

    enroll_url = reverse("catalog:enroll", args=[course.slug])
    assert f'href="/login/?next={enroll_url}">Ambil Kursus Ini</a>' in html
    assert 'name="csrfmiddlewaretoken"' not in html.split("<main")[1]


def test_the_enrol_button_uses_the_institutions_word(client: Client) -> None:
    SiteSettings.objects.update_or_create(
        id=SiteSettings.SINGLETON_ID,
        defaults={"vocabulary_profile": VocabularyProfile.KEMENIMIPAS},
    )
    course = CourseFactory.create()
    signed_in(client)

    html = page(client, course)

    enroll_url = reverse("catalog:enroll", args=[course.slug])
    assert re.search(
        rf'<form method="post" action="{enroll_url}">.*?>Daftar</button>', html, re.DOTALL
    )


def test_an_enrolled_learner_sees_continue_learning_instead(client: Client) -> None:
    course = CourseFactory.create()
    EnrollmentFactory.create(user=signed_in(client), course=course)

    html = page(in_english(client), course)

    start_url = reverse("learning:course_start", args=[course.slug])
    assert f'href="{start_url}">Continue Learning</a>' in html
    assert reverse("catalog:enroll", args=[course.slug]) not in html


@pytest.mark.parametrize(
    ("dates", "reason"),
    [
        ({"enroll_closes_at": -1}, "Enrolment for this course is closed."),
        ({"enroll_opens_at": 2}, "Enrolment for this course has not opened yet."),
        ({"ends_at": -1}, "This course has ended."),
    ],
)
def test_a_closed_course_disables_the_button_and_says_why(
    client: Client, dates: dict[str, int], reason: str
) -> None:
    now = timezone.now()
    fields = {name: now + dt.timedelta(days=days) for name, days in dates.items()}
    if "ends_at" in fields:
        fields["starts_at"] = now - dt.timedelta(days=30)
    course = CourseFactory.create(**fields)
    signed_in(client)

    html = page(in_english(client), course)

    assert re.search(r'<button type="button"[^>]*disabled aria-describedby="enroll-refusal">', html)
    assert f'id="enroll-refusal" class="small text-danger-emphasis mt-2 mb-0">{reason}</p>' in html


def test_an_internal_only_course_explains_itself_to_an_external_learner(client: Client) -> None:
    course = CourseFactory.create(internal_only=True)
    signed_in(client, UserFactory.create(username="tamu.eksternal", internal=False))

    html = page(in_english(client), course)

    assert "disabled" in html
    assert "This course is only for internal employees registered with a NIP." in html


def test_an_internal_learner_may_enrol_in_an_internal_only_course(client: Client) -> None:
    course = CourseFactory.create(internal_only=True)
    signed_in(client, UserFactory.create(internal=True))

    html = page(client, course)

    assert f'<form method="post" action="{reverse("catalog:enroll", args=[course.slug])}">' in html


def test_an_unpublished_course_is_not_found_for_visitors_and_learners(client: Client) -> None:
    course = CourseFactory.create(is_published=False)

    assert client.get(course.get_absolute_url()).status_code == 404
    signed_in(client)
    assert client.get(course.get_absolute_url()).status_code == 404


def test_staff_may_preview_an_unpublished_course(client: Client) -> None:
    course = CourseFactory.create(title="Draf Kursus", is_published=False)
    signed_in(client, UserFactory.create(is_staff=True))

    html = page(in_english(client), course)

    assert "Draf Kursus" in html
    assert "Preview: this course is not published" in html
    assert "This course is not open." in html  # nobody can enrol yet


def test_the_heart_shows_whether_the_course_is_a_favourite(client: Client) -> None:
    course = CourseFactory.create()
    user = signed_in(client)

    assert 'aria-pressed="false"' in page(client, course)
    Favorite.objects.create(user=user, course=course)
    assert 'aria-pressed="true"' in page(client, course)


def test_a_visitor_page_is_cacheable_and_a_learner_page_private(client: Client) -> None:
    course = CourseFactory.create()

    visitor = client.get(course.get_absolute_url())
    signed_in(client)
    learner = client.get(course.get_absolute_url())

    assert set(visitor["Cache-Control"].split(", ")) == {"public", "max-age=60"}
    assert "Cookie" in visitor["Vary"]
    assert "private" in learner["Cache-Control"]


def test_an_unknown_course_is_not_found(client: Client) -> None:
    assert client.get(reverse("catalog:course_detail", args=["tidak-ada"])).status_code == 404
